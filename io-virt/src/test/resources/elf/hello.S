# A minimal bare-metal RV64 program for the ELF loader's tests: code at 0x80000000, an HTIF
# tohost/fromhost pair in .data, and a .bss buffer the loader must zero-fill. It writes 1 to
# tohost (riscv-tests' "pass" convention) and spins.
    .section .text
    .globl _start
_start:
    la      t0, buffer
    sd      zero, 0(t0)
    la      t0, tohost
    li      t1, 1
    sd      t1, 0(t0)
1:  j       1b

    .section .data
    .balign 64
    .globl tohost
tohost:     .dword 0
    .balign 64
    .globl fromhost
fromhost:   .dword 0
message:    .asciz "hello from ovm"

    .section .bss
    .balign 8
    .globl buffer
buffer:     .skip 4096
