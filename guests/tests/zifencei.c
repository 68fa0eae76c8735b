/* Zifencei (Unpriv ch. 3): code written by stores is executed after FENCE.I.
 * A RAM buffer receives "addi a0, zero, N; ret", is executed, rewritten with
 * a new N and executed again; then an instruction inside a function that has
 * already run (in .text) is patched the same way. */
#include "rt.h"

#define ADDI_A0_ZERO(n) (0x00000513u | ((u32)(n) << 20))   /* addi a0, zero, n */
#define RET             0x00008067u                          /* jalr zero, 0(ra) */

static u32 code[4] __attribute__((aligned(16)));

typedef long (*fn0)(void);

/* patched in place below: the first instruction is "addi a0, zero, 1" */
extern long patchable(void);
__asm__(".text\n.balign 4\n.globl patchable\npatchable:\n"
        ".option push\n.option norvc\naddi a0, zero, 1\nret\n.option pop\n");

static long call(void *p)
{
    return ((fn0)(uintptr_t)p)();
}

int main(void)
{
    rt_puts("# zifencei: self-modifying code with fence.i\n");
    for (int n = 1; n <= 3; n++) {
        code[0] = ADDI_A0_ZERO(n * 11);
        code[1] = RET;
        __asm__ volatile("fence.i" ::: "memory");
        check_eq((u64)call(code), (u64)(n * 11), "buffer rewritten to return %d, after fence.i", n * 11);
    }
    check_eq((u64)patchable(), 1, "patchable() before patching");
    volatile u32 *first = (volatile u32 *)(uintptr_t)patchable;
    check_eq(*first, ADDI_A0_ZERO(1), "patchable() starts with addi a0, zero, 1");
    *first = ADDI_A0_ZERO(99);
    __asm__ volatile("fence.i" ::: "memory");
    check_eq((u64)patchable(), 99, "patched .text instruction executes after fence.i");
    /* a compressed instruction replaced by another compressed one */
    volatile uint16_t *half = (volatile uint16_t *)code;
    half[0] = 0x4515;      /* c.li a0, 5 */
    half[1] = 0x8082;      /* c.ret */
    __asm__ volatile("fence.i" ::: "memory");
    check_eq((u64)call(code), 5, "c.li a0, 5; c.ret");
    half[0] = 0x4525;      /* c.li a0, 9 */
    __asm__ volatile("fence.i" ::: "memory");
    check_eq((u64)call(code), 9, "rewritten c.li a0, 9");
    return tests_done();
}
