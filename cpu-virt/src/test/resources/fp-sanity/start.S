/* Entry: stack below the results, mstatus.FS = Initial, call fp_main, halt. */
  .section .text.start
  .globl _start
_start:
  li sp, 0x80030000
  li t0, 1 << 13
  csrs mstatus, t0
  call fp_main
1:
  j 1b
