#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, if they are missing (needs root or sudo):
#   opensbi              - the machine's Debian OpenSBI firmware, booted on the board by the firmware test
#   device-tree-compiler - dtc, which checks the generated device tree
#   e2fsprogs            - mke2fs, e2fsck, debugfs: the Linux test's ext4 disk, made and read back on the host
# (and python3, xz-utils for the guest image), then fetches Debian 13's opensbi (with the SBI debug
# console) and builds the Debian riscv64 guest image into .ovm-cache/ (scripts/fetch-debian.sh,
# scripts/debian-image.sh). Maven fetches everything else. Idempotent; quiet when all is present.
set -euo pipefail
needed=()
[ -f /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin ] || needed+=(opensbi)
command -v dtc >/dev/null 2>&1 || needed+=(device-tree-compiler)
command -v python3 >/dev/null 2>&1 || needed+=(python3)
[ -x /usr/sbin/mke2fs ] || [ -x /sbin/mke2fs ] || command -v mke2fs >/dev/null 2>&1 || needed+=(e2fsprogs)
command -v xz >/dev/null 2>&1 || needed+=(xz-utils)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "ovm: installing Debian packages: ${needed[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
fi
"$(dirname "$0")/fetch-debian.sh" opensbi >/dev/null
# Debian 13's riscv64 kernel, busybox and an initramfs for the Linux boot test (cached)
"$(dirname "$0")/debian-image.sh" >/dev/null
