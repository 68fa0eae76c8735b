/* Zicsr (Unpriv ch. 9, Priv 2.1-2.4): the six CSR instructions and their
 * return values, writes to read-only CSRs and accesses to non-existent or
 * too-privileged CSRs trapping as illegal instruction (tval = the
 * instruction), the cycle/instret counters, and mcounteren/scounteren gating
 * of counter reads from S and U (Priv 3.1.11, 4.1.5). */
#include "rt.h"

static u32 insn_at(uintptr_t pc)
{
    const volatile uint16_t *h = (const volatile uint16_t *)pc;
    return (u32)h[0] | ((u32)h[1] << 16);
}

/* Executes `text` (one CSR instruction at label 1) expecting an illegal
 * instruction trap whose tval is the instruction's encoding. */
#define EXPECT_ILLEGAL(text, what) do { uintptr_t _pc; trap_expect(); \
    __asm__ volatile(".option push\n.option norvc\nlla %0, 1f\n1: " text "\n.option pop" \
                     : "=&r"(_pc) :: "t0", "memory"); \
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, insn_at(_pc), _pc, what); } while (0)

#define EXPECT_OK(text, what) do { trap_expect(); \
    __asm__ volatile(text ::: "t0", "memory"); check_no_trap(what); } while (0)

static void instructions(void)
{
    /* mscratch holds the trap stack pointer: no trap may happen until restored */
    u64 saved = csr_read(mscratch);
    u64 old;
    csr_write(mscratch, 0x1111);
    __asm__ volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"((u64)0xf0f0));
    check_eq(old, 0x1111, "csrrw returns old value");
    check_eq(csr_read(mscratch), 0xf0f0, "csrrw wrote");
    __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"((u64)0x000f));
    check_eq(old, 0xf0f0, "csrrs returns old value");
    check_eq(csr_read(mscratch), 0xf0ff, "csrrs set bits");
    __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"((u64)0x00f0));
    check_eq(old, 0xf0ff, "csrrc returns old value");
    check_eq(csr_read(mscratch), 0xf00f, "csrrc cleared bits");
    __asm__ volatile("csrrwi %0, mscratch, 31" : "=r"(old));
    check_eq(old, 0xf00f, "csrrwi returns old value");
    check_eq(csr_read(mscratch), 31, "csrrwi wrote zero-extended uimm");
    __asm__ volatile("csrrci %0, mscratch, 0x11" : "=r"(old));
    check_eq(old, 31, "csrrci returns old value");
    check_eq(csr_read(mscratch), 0xe, "csrrci cleared bits");
    __asm__ volatile("csrrsi %0, mscratch, 0x10" : "=r"(old));
    check_eq(old, 0xe, "csrrsi returns old value");
    check_eq(csr_read(mscratch), 0x1e, "csrrsi set bits");
    csr_write(mscratch, -1L);
    check_eq(csr_read(mscratch), ~0UL, "mscratch holds 64 bits");
    /* rd == rs1: old value to rd, write uses the old rs1 */
    u64 x = 0x77;
    __asm__ volatile("csrrw %0, mscratch, %0" : "+r"(x));
    check_eq(x, ~0UL, "csrrw rd == rs1 returns old CSR");
    u64 final = csr_read(mscratch);
    csr_write(mscratch, saved);
    check_eq(final, 0x77, "csrrw rd == rs1 wrote old rs1");
}

static void access_rules(void)
{
    u64 v;
    EXPECT_OK("csrr t0, mhartid", "csrr mhartid (read-only, rs1 = x0)");
    EXPECT_OK("csrrsi t0, mhartid, 0", "csrrsi mhartid, 0 does not write");
    EXPECT_OK("csrrc t0, mvendorid, x0", "csrrc mvendorid, x0 does not write");
    EXPECT_ILLEGAL("csrw mhartid, t0", "csrw mhartid (read-only)");
    EXPECT_ILLEGAL("csrrsi t0, mhartid, 1", "csrrsi mhartid, 1 (read-only)");
    EXPECT_ILLEGAL("csrrc x0, mimpid, sp", "csrrc x0, mimpid, sp (read-only, rd = x0)");
    EXPECT_ILLEGAL("csrw cycle, t0", "csrw cycle (read-only)");
    EXPECT_ILLEGAL("csrrwi x0, instret, 0", "csrrwi instret (read-only, even rd = x0)");
    EXPECT_ILLEGAL("csrr t0, 0x3ff", "csrr 0x3ff (does not exist)");
    EXPECT_ILLEGAL("csrr t0, 0x0ff", "csrr 0x0ff (does not exist)");
    EXPECT_ILLEGAL("csrw 0x7ff, t0", "csrw 0x7ff (does not exist)");
    v = csr_read(mhartid);
    check_eq(v, 0, "mhartid of the boot hart");
    v = csr_read(misa);
    check_eq(v >> 62, 2, "misa.MXL = 64");
    const char *need = "IMACSU";
    for (const char *c = need; *c; c++)
        check((v >> (*c - 'A')) & 1, "misa has %c", *c);
}

static void counters_in_m(void)
{
    u64 c0, c1, i0, i1;
    __asm__ volatile("rdcycle %0" : "=r"(c0));
    __asm__ volatile("rdinstret %0" : "=r"(i0));
    for (volatile int i = 0; i < 100; i++)
        ;
    __asm__ volatile("rdcycle %0" : "=r"(c1));
    __asm__ volatile("rdinstret %0" : "=r"(i1));
    check(c1 > c0, "cycle increases (%lu -> %lu)", c0, c1);
    check(i1 - i0 >= 300, "instret counts a 100-iteration loop (%lu)", i1 - i0);
    check_eq(csr_read(mcycle) >= c1, 1, "mcycle >= cycle read earlier");
    check_eq(csr_read(minstret) >= i1, 1, "minstret >= instret read earlier");
}

/* time CSR: the CLINT's mtime seen through rdtime (Unpriv 10.1, Priv 3.2.1) */
static void time_csr(void)
{
    u64 t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    u64 m = mtime_now();
    check(m >= t && m - t < 10000000UL, "rdtime tracks CLINT mtime (time %lu, mtime %lu)", t, m);
    for (volatile int i = 0; i < 1000; i++)
        ;
    u64 t2;
    __asm__ volatile("rdtime %0" : "=r"(t2));
    check(t2 >= t, "rdtime does not go backwards");
}

static long read_time(long unused)
{
    (void)unused;
    u64 v;
    __asm__ volatile(".option push\n.option norvc\nrdtime %0\n.option pop" : "=r"(v));
    return (long)v;
}

static long read_cycle(long unused)
{
    (void)unused;
    u64 v;
    __asm__ volatile(".option push\n.option norvc\nrdcycle %0\n.option pop" : "=r"(v));
    return (long)v;
}

static long read_instret(long unused)
{
    (void)unused;
    u64 v;
    __asm__ volatile(".option push\n.option norvc\nrdinstret %0\n.option pop" : "=r"(v));
    return (long)v;
}

static long read_mstatus(long unused)
{
    (void)unused;
    u64 v;
    __asm__ volatile(".option push\n.option norvc\ncsrr %0, mstatus\n.option pop" : "=r"(v));
    return (long)v;
}

static long read_sstatus(long unused)
{
    (void)unused;
    u64 v;
    __asm__ volatile(".option push\n.option norvc\ncsrr %0, sstatus\n.option pop" : "=r"(v));
    return (long)v;
}

static void lower(int mode, long (*fn)(long), int expect_trap, const char *what)
{
    trap_expect();
    run_in_mode(mode, fn, 0, LOWER_STACK);
    if (expect_trap) {
        check_trap(CAUSE_ILLEGAL_INSTRUCTION, CHECK_ANY, CHECK_ANY, what);
        check_eq(trap_rec.prev_priv, (u64)mode, "%s: trapped from the right mode", what);
    } else {
        check_no_trap(what);
    }
}

static void privilege_and_counteren(void)
{
    lower(PRV_S, read_mstatus, 1, "S reads mstatus");
    lower(PRV_U, read_sstatus, 1, "U reads sstatus");
    lower(PRV_S, read_sstatus, 0, "S reads sstatus");
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
    lower(PRV_S, read_cycle, 1, "S rdcycle with mcounteren.CY = 0");
    lower(PRV_U, read_cycle, 1, "U rdcycle with mcounteren.CY = 0");
    csr_write(mcounteren, 1);
    check_eq(csr_read(mcounteren), 1, "mcounteren.CY writable");
    lower(PRV_S, read_cycle, 0, "S rdcycle with mcounteren.CY = 1");
    lower(PRV_S, read_instret, 1, "S rdinstret with mcounteren.IR = 0");
    lower(PRV_U, read_cycle, 1, "U rdcycle with mcounteren.CY = 1, scounteren.CY = 0");
    csr_write(scounteren, 1);
    lower(PRV_U, read_cycle, 0, "U rdcycle with both CY = 1");
    lower(PRV_U, read_instret, 1, "U rdinstret with IR = 0");
    lower(PRV_S, read_time, 1, "S rdtime with mcounteren.TM = 0");
    csr_write(mcounteren, 5);
    csr_write(scounteren, 5);
    lower(PRV_U, read_instret, 0, "U rdinstret with both IR = 1");
    csr_write(mcounteren, 7);
    lower(PRV_S, read_time, 0, "S rdtime with mcounteren.TM = 1");
    lower(PRV_U, read_time, 1, "U rdtime with scounteren.TM = 0");
    csr_write(scounteren, 7);
    lower(PRV_U, read_time, 0, "U rdtime with both TM = 1");
    long c = run_in_mode(PRV_U, read_cycle, 0, LOWER_STACK);
    check(c > 0, "U cycle value is non-zero (%ld)", c);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
}

int main(void)
{
    rt_puts("# zicsr: CSR instructions, access rules, counters\n");
    instructions();
    access_rules();
    counters_in_m();
    time_csr();
    privilege_and_counteren();
    return tests_done();
}
