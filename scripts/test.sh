#!/usr/bin/env bash
# Runs every check of the project: the Checker Framework on all main code, AspectJ weaving, and all
# tests (unit, property and guest-level). This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
ovm_select_jdk
scripts/deps.sh
exec mvn -B -ntp verify "$@"
