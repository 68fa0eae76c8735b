/* S-mode entry of the SBI payload (linked at 0x80200000, started by OpenSBI
 * fw_jump, or by ovm's own SBI with -bios none, with a0 = hart id, a1 = DTB
 * address). Sets up a stack, clears .bss and calls payload_main; harts other
 * than the first park. _secondary is where SBI HSM hart_start sends another
 * hart (a0 = hart id, a1 = opaque): the second 16 KiB stack slot, then
 * secondary_main. */
    .file   "entry.S"
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    payload_main
3:  wfi
    j       3b

    .globl _secondary
_secondary:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    li      t0, 0x4000
    sub     sp, sp, t0
    call    secondary_main
4:  wfi
    j       4b
