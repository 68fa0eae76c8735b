#!/bin/sh
# Times bench.elf on QEMU (TCG, no icount) and prints QEMU's MIPS.
#
# usage: bench/qemu-mips.sh [INSTRUCTIONS [RUNS]]
#   INSTRUCTIONS  retired instructions of one bench run (ovm reports it
#                 exactly; default: ovm's count for the committed bench.elf,
#                 see README)
#   RUNS          timed runs of each program (default 5); the median is used
#
# MIPS = INSTRUCTIONS / (median wall(bench.elf) - median wall(bench-empty.elf)) / 1e6
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
instructions=${1:-401369453}
runs=${2:-5}
qemu=${QEMU:-qemu-system-riscv64}

wall() {    # wall time in seconds of one QEMU run of $1
    start=$(date +%s.%N)
    "$qemu" -machine virt -smp 1 -m 128M -nographic -bios none -kernel "$1" >/dev/null 2>&1 \
        || { echo "error: $1 failed on QEMU" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

median() {  # median of RUNS timings of $1
    i=0
    while [ $i -lt "$runs" ]; do wall "$1"; i=$((i + 1)); done | sort -n |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

empty=$(median "$here/bin/bench-empty.elf")
bench=$(median "$here/bin/bench.elf")
net=$(echo "$bench - $empty" | bc -l)
mips=$(echo "$instructions / $net / 1000000" | bc -l)
printf 'QEMU start-up (median of %d): %.3f s\n' "$runs" "$empty"
printf 'bench wall    (median of %d): %.3f s\n' "$runs" "$bench"
printf 'bench net: %.3f s for %d instructions -> %.0f MIPS\n' "$net" "$instructions" "$mips"
