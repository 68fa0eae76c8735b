#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, if they are missing (needs root or sudo):
#   opensbi              - the machine's Debian OpenSBI firmware, booted on the board by the firmware test
#   device-tree-compiler - dtc, which checks the generated device tree
# and fetches Debian 13's opensbi (with the SBI debug console) into .ovm-cache/ with
# scripts/fetch-debian.sh. Maven fetches everything else. Idempotent; quiet when all is present.
set -euo pipefail
needed=()
[ -f /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin ] || needed+=(opensbi)
command -v dtc >/dev/null 2>&1 || needed+=(device-tree-compiler)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "ovm: installing Debian packages: ${needed[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
fi
"$(dirname "$0")/fetch-debian.sh" opensbi >/dev/null
