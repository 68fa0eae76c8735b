/* RV64A atomics (Unpriv spec ch. 8, 14): LR/SC success and failure, every AMO
 * in .w and .d form (old value returned, memory updated), sign extension of
 * the .w results, and that .w AMOs leave the neighbouring word alone. */
#include "rt.h"

static volatile u64 cell[2] __attribute__((aligned(16)));

#define AMOW(op, init, operand, old_expected, new_expected) do {                \
        cell[0] = 0x5a5a5a5a00000000ULL | (u32)(init);                          \
        u64 _old;                                                               \
        __asm__ volatile(op " %0, %1, (%2)" : "=r"(_old)                        \
                         : "r"((u64)(operand)), "r"(&cell[0]) : "memory");      \
        check_eq(_old, old_expected, "%s old value (sign-extended)", op);       \
        check_eq(cell[0], 0x5a5a5a5a00000000ULL | (u32)(new_expected),          \
                 "%s memory", op);                                              \
    } while (0)

#define AMOD(op, init, operand, old_expected, new_expected) do {                \
        cell[0] = (init);                                                       \
        u64 _old;                                                               \
        __asm__ volatile(op " %0, %1, (%2)" : "=r"(_old)                        \
                         : "r"((u64)(operand)), "r"(&cell[0]) : "memory");      \
        check_eq(_old, old_expected, "%s old value", op);                       \
        check_eq(cell[0], new_expected, "%s memory", op);                       \
    } while (0)

static void amos(void)
{
#include "amo.inc"
    /* rd = x0: the memory is still updated */
    cell[0] = 5;
    __asm__ volatile("amoadd.d x0, %0, (%1)" :: "r"((u64)3), "r"(&cell[0]) : "memory");
    check_eq(cell[0], 8, "amoadd.d with rd=x0 updates memory");
    /* ordering bits assemble and execute */
    u64 old;
    __asm__ volatile("amoswap.d.aqrl %0, %1, (%2)" : "=r"(old) : "r"((u64)9), "r"(&cell[0]) : "memory");
    check_eq(old, 8, "amoswap.d.aqrl old value");
    check_eq(cell[0], 9, "amoswap.d.aqrl memory");
}

static void lr_sc(void)
{
    u64 v, fail;
    cell[0] = 0xffffffff80000000ULL | 0x1234;
    cell[1] = 0;
    __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)"
                     : "=&r"(v), "=&r"(fail) : "r"(&cell[0]), "r"((u64)0x87654321) : "memory");
    check_eq(v, 0xffffffff80001234ULL, "lr.w sign-extends");
    check_eq(fail, 0, "sc.w after lr.w succeeds (rd = 0)");
    check_eq(cell[0], 0xffffffff87654321ULL, "sc.w stored the low word only");

    cell[0] = 0x1111;
    __asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%2)"
                     : "=&r"(v), "=&r"(fail) : "r"(&cell[0]), "r"((u64)0x2222) : "memory");
    check_eq(v, 0x1111, "lr.d value");
    check_eq(fail, 0, "sc.d after lr.d succeeds");
    check_eq(cell[0], 0x2222, "sc.d stored");

    /* a second SC without a new LR must fail: the first SC ended the reservation */
    __asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%2)\n\tsc.d %1, %4, (%2)"
                     : "=&r"(v), "=&r"(fail)
                     : "r"(&cell[0]), "r"((u64)0x3333), "r"((u64)0x4444) : "memory");
    check(fail != 0, "second sc.d without lr fails (rd != 0)");
    check_eq(cell[0], 0x3333, "failed sc.d left memory unchanged");

    /* SC to an address outside the reservation set must fail (Unpriv 8.2) */
    cell[1] = 0x55;
    __asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%4)"
                     : "=&r"(v), "=&r"(fail)
                     : "r"(&cell[0]), "r"((u64)0x6666), "r"(&cell[1]) : "memory");
    check(fail != 0, "sc.d to another address than lr.d fails");
    check_eq(cell[1], 0x55, "failed sc.d to other address left memory unchanged");
    __asm__ volatile("sc.d %0, zero, (%1)" : "=&r"(fail) : "r"(&cell[0]) : "memory");

    /* a retry loop built from lr/sc increments atomically */
    cell[0] = 41;
    __asm__ volatile("1: lr.d %0, (%1)\n\taddi %0, %0, 1\n\tsc.d %0, %0, (%1)\n\tbnez %0, 1b"
                     : "=&r"(v) : "r"(&cell[0]) : "memory");
    check_eq(cell[0], 42, "lr/sc increment loop");
}

int main(void)
{
    rt_puts("# rv64a: atomics\n");
    lr_sc();
    amos();
    return tests_done();
}
