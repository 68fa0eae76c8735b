/* Position-independent code copied into pages of the sv39 test: a U-mode
 * load/store probe (ends with the run_in_mode return ecall) and a tiny
 * function for execute-only pages. norvc keeps the offsets fixed. */
#include "rt_asm.h"

    .file   "sv39_asm.S"

    .section .rodata
    .option push
    .option norvc
    .balign 4
    .globl u_code_start, u_load, u_load_done, u_store, u_store_done, u_code_end
u_code_start:
u_load:                 /* a0 = address: return *(u64 *)a0 */
    ld      a0, 0(a0)
u_load_done:
    li      a7, RT_RETURN_MAGIC
    ecall
u_store:                /* a0 = address: *(u64 *)a0 = 0x5a5a; return 0 */
    li      t0, 0x5a5a
    sd      t0, 0(a0)
u_store_done:
    li      a0, 0
    li      a7, RT_RETURN_MAGIC
    ecall
u_code_end:

    .globl x_code_start, x_code_end
x_code_start:           /* return 42 */
    li      a0, 42
    ret
x_code_end:
    .option pop
