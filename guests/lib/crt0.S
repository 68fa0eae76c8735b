/* ovm guest runtime: reset entry, trap entry/exit, mode switching.
 *
 * Entered in M-mode with a0 = hart id, a1 = DTB address (QEMU virt, -bios none).
 * Hart 0 clears .bss, sets up the trap stacks and calls main(hartid, dtb);
 * other harts park in WFI forever. Every trap (M and S) saves a full frame
 * (struct trap_frame in rt.h) on a dedicated trap stack reached through
 * mscratch/sscratch and calls m_trap_dispatch / s_trap_dispatch in trap.c.
 */
#include "rt_asm.h"

    .file   "crt0.S"      /* a fixed name keeps the symbol table reproducible */

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    csrw    mie, zero
    la      t0, trap_entry_m
    csrw    mtvec, t0
    li      t0, MAX_HARTS
    bgeu    a0, t0, park            /* no stack for harts beyond MAX_HARTS */
    la      sp, __stack_top
    li      t0, STACK_PER_HART
    mul     t1, a0, t0
    sub     sp, sp, t1
    bnez    a0, park
    la      t0, __mtrap_stack_top
    csrw    mscratch, t0
    la      t0, __strap_stack_top
    csrw    sscratch, t0
    /* PMP: one NAPOT entry covering everything, RWX, so S/U may access memory.
     * QEMU enforces PMP (no entry = S/U denied); ovm's PMP CSRs read as zero.
     * A hart without PMP CSRs would trap: pmp_skip steps over the write. */
    la      t0, pmp_skip
    csrw    mtvec, t0
    li      t0, -1
    csrw    pmpaddr0, t0
    li      t0, 0x1f
    csrw    pmpcfg0, t0
    la      t0, trap_entry_m
    csrw    mtvec, t0
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  mv      s0, a0
    mv      s1, a1
    call    main
    call    rt_exit
park:
    wfi
    j       park

    .balign 4
pmp_skip:                           /* skip the 4-byte CSR write that trapped */
    csrr    t1, mepc
    addi    t1, t1, 4
    csrw    mepc, t1
    mret

/* ---- M-mode trap entry (direct) and vector table ---------------------- */
    .text
    .balign 4
    .globl trap_entry_m
trap_entry_m:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, -1
    j       trap_common_m

/* Vectored mode: BASE+4*cause for interrupts, BASE for exceptions (Priv 3.1.7).
 * norvc keeps every slot 4 bytes. */
    .balign 256
    .globl trap_vector_m
trap_vector_m:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j       vec_m_\n
    .endr
    .option pop
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
vec_m_\n:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, \n
    j       trap_common_m
    .endr

trap_common_m:
    sd      t0, 0(sp)               /* vector slot (-1 = direct) in x0's place */
    SAVE_GPRS_EXCEPT_SP_T0
    csrr    t0, mscratch
    sd      t0, 2*8(sp)
    csrr    t0, mcause
    sd      t0, 32*8(sp)
    csrr    t0, mepc
    sd      t0, 33*8(sp)
    csrr    t0, mtval
    sd      t0, 34*8(sp)
    csrr    t0, mstatus
    sd      t0, 35*8(sp)
    mv      a0, sp
    call    m_trap_dispatch
    ld      t0, 33*8(sp)
    csrw    mepc, t0
    ld      t0, 35*8(sp)
    csrw    mstatus, t0
    addi    t0, sp, FRAME_SIZE
    csrw    mscratch, t0
    RESTORE_GPRS_EXCEPT_SP
    ld      sp, 2*8(sp)
    mret

/* ---- S-mode trap entry ------------------------------------------------ */
    .balign 4
    .globl trap_entry_s
trap_entry_s:
    csrrw   sp, sscratch, sp
    addi    sp, sp, -FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, -1
    sd      t0, 0(sp)
    SAVE_GPRS_EXCEPT_SP_T0
    csrr    t0, sscratch
    sd      t0, 2*8(sp)
    csrr    t0, scause
    sd      t0, 32*8(sp)
    csrr    t0, sepc
    sd      t0, 33*8(sp)
    csrr    t0, stval
    sd      t0, 34*8(sp)
    csrr    t0, sstatus
    sd      t0, 35*8(sp)
    mv      a0, sp
    call    s_trap_dispatch
    ld      t0, 33*8(sp)
    csrw    sepc, t0
    ld      t0, 35*8(sp)
    csrw    sstatus, t0
    addi    t0, sp, FRAME_SIZE
    csrw    sscratch, t0
    RESTORE_GPRS_EXCEPT_SP
    ld      sp, 2*8(sp)
    sret

/* ---- running code in a lower (or the same) privilege mode ------------- */
/* long run_in_mode(int mode, long (*fn)(long), long arg, void *stack_top)
 * mret into fn(arg) at privilege `mode` with sp = stack_top; fn returns into
 * lower_exit, which ecalls with a7 = RT_RETURN_MAGIC; the M handler then calls
 * lower_return(value), which resumes here as if run_in_mode returned value. */
    .globl run_in_mode
run_in_mode:
    la      t0, lower_ctx
    sd      ra, 0(t0)
    sd      sp, 8(t0)
    sd      s0, 16(t0)
    sd      s1, 24(t0)
    sd      s2, 32(t0)
    sd      s3, 40(t0)
    sd      s4, 48(t0)
    sd      s5, 56(t0)
    sd      s6, 64(t0)
    sd      s7, 72(t0)
    sd      s8, 80(t0)
    sd      s9, 88(t0)
    sd      s10, 96(t0)
    sd      s11, 104(t0)
    sd      gp, 112(t0)
    li      t1, MSTATUS_MPP
    csrc    mstatus, t1
    andi    a0, a0, 3
    slli    t1, a0, 11
    csrs    mstatus, t1
    csrw    mepc, a1
    mv      a0, a2
    mv      sp, a3
    la      ra, lower_exit
    mret

    .globl lower_exit
lower_exit:
    li      a7, RT_RETURN_MAGIC
    ecall
1:  j       1b

/* void lower_return(long value): never returns to its caller. */
    .globl lower_return
lower_return:
    la      t1, __mtrap_stack_top
    csrw    mscratch, t1
    la      t0, lower_ctx
    ld      ra, 0(t0)
    ld      sp, 8(t0)
    ld      s0, 16(t0)
    ld      s1, 24(t0)
    ld      s2, 32(t0)
    ld      s3, 40(t0)
    ld      s4, 48(t0)
    ld      s5, 56(t0)
    ld      s6, 64(t0)
    ld      s7, 72(t0)
    ld      s8, 80(t0)
    ld      s9, 88(t0)
    ld      s10, 96(t0)
    ld      s11, 104(t0)
    ld      gp, 112(t0)
    ret

    .bss
    .balign 8
lower_ctx:
    .space  16*8
