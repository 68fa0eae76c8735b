#!/usr/bin/env bash
# Guest MIPS of ovm and of QEMU TCG on the same binary, measured back to back (docs/BENCHMARKS.md).
# ovm prints its exact instruction count; QEMU's MIPS uses that count over its net wall time.
# Needs qemu-system-riscv64 (Debian qemu-system-misc) for the QEMU half.
set -euo pipefail
cd "$(dirname "$0")/.."
guest=${1:-guests/bin/bench.elf}
runs=${2:-3}
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
count=""
for i in $(seq "$runs"); do
  line=$(./ovm run -kernel "$guest" 2>&1 >/dev/null | grep 'MIPS$')
  echo "ovm:  $line"
  count=$(echo "$line" | sed -n 's/^\[ovm\] \([0-9]*\) instructions.*/\1/p')
done
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
  echo "qemu: $(sh guests/bench/qemu-mips.sh "$count" 5 | tail -1)"
else
  echo "qemu: qemu-system-riscv64 not installed (apt-get install qemu-system-misc)"
fi
