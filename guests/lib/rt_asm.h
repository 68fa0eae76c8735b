/* Constants and macros shared by the runtime's assembly files. */
#ifndef RT_ASM_H
#define RT_ASM_H

#define FRAME_SIZE       (36 * 8)   /* x0..x31, cause, epc, tval, status */
#define MAX_HARTS        4
#define STACK_PER_HART   0x4000
#define MSTATUS_MPP      (3 << 11)
#define RT_RETURN_MAGIC  0x0e7e7

/* x0 slot holds the vector index, x2 and x5 are saved by the entry code. */
#define SAVE_GPRS_EXCEPT_SP_T0 \
    sd x1, 1*8(sp);  sd x3, 3*8(sp);  sd x4, 4*8(sp);  sd x6, 6*8(sp);  \
    sd x7, 7*8(sp);  sd x8, 8*8(sp);  sd x9, 9*8(sp);  sd x10, 10*8(sp); \
    sd x11, 11*8(sp); sd x12, 12*8(sp); sd x13, 13*8(sp); sd x14, 14*8(sp); \
    sd x15, 15*8(sp); sd x16, 16*8(sp); sd x17, 17*8(sp); sd x18, 18*8(sp); \
    sd x19, 19*8(sp); sd x20, 20*8(sp); sd x21, 21*8(sp); sd x22, 22*8(sp); \
    sd x23, 23*8(sp); sd x24, 24*8(sp); sd x25, 25*8(sp); sd x26, 26*8(sp); \
    sd x27, 27*8(sp); sd x28, 28*8(sp); sd x29, 29*8(sp); sd x30, 30*8(sp); \
    sd x31, 31*8(sp)

#define RESTORE_GPRS_EXCEPT_SP \
    ld x1, 1*8(sp);  ld x3, 3*8(sp);  ld x4, 4*8(sp);  ld x5, 5*8(sp);  \
    ld x6, 6*8(sp);  ld x7, 7*8(sp);  ld x8, 8*8(sp);  ld x9, 9*8(sp);  \
    ld x10, 10*8(sp); ld x11, 11*8(sp); ld x12, 12*8(sp); ld x13, 13*8(sp); \
    ld x14, 14*8(sp); ld x15, 15*8(sp); ld x16, 16*8(sp); ld x17, 17*8(sp); \
    ld x18, 18*8(sp); ld x19, 19*8(sp); ld x20, 20*8(sp); ld x21, 21*8(sp); \
    ld x22, 22*8(sp); ld x23, 23*8(sp); ld x24, 24*8(sp); ld x25, 25*8(sp); \
    ld x26, 26*8(sp); ld x27, 27*8(sp); ld x28, 28*8(sp); ld x29, 29*8(sp); \
    ld x30, 30*8(sp); ld x31, 31*8(sp)

#endif
