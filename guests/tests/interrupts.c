/* Interrupts (Priv 3.1.9, 3.2.1, 3.3.3): the CLINT machine timer and software
 * interrupts, delegation of the supervisor timer/software interrupts to S via
 * mideleg with STIP/SSIP raised by M-mode, the fixed priority order when
 * several are pending (MEI > MSI > MTI > SEI > SSI > STI), and WFI waking on
 * a timer interrupt with and without global enable. */
#include "rt.h"

/* Waits are bounded by mtime, not by loop counts: QEMU delivers a future
 * mtimecmp match only when its host timer fires, often milliseconds late. */
#define WAIT_TICKS 10000000UL   /* 1 s at 10 MHz */

static volatile u64 seen[8];
static volatile u64 seen_count;
static volatile u64 seen_epc;
/* address of the WFI in wfi_wakeup's MIE = 1 case; see there */
static volatile u64 wfi_pc;

static void record(u64 cause)
{
    if (seen_count < 8)
        seen[seen_count] = cause;
    seen_count++;
}

/* M-level handler: record and clear the source. */
static void m_irq(struct trap_frame *f)
{
    record(f->cause);
    seen_epc = f->epc;
    switch (f->cause & ~CAUSE_INTERRUPT) {
    case IRQ_M_SOFT:  MMIO32(CLINT_MSIP(0)) = 0; break;
    case IRQ_M_TIMER:
        /* the timer fired before the WFI ran: re-arm it so the WFI wakes */
        MMIO64(CLINT_MTIMECMP(0)) = f->epc == wfi_pc ? mtime_now() + 1000 : ~0ULL;
        break;
    case IRQ_S_SOFT:  csr_clear(mip, MIP_SSIP); break;
    case IRQ_S_TIMER: csr_clear(mip, MIP_STIP); break;
    default:
        rt_printf("unexpected interrupt 0x%lx\n", f->cause);
        rt_exit(101);
    }
}

/* S-level handler (delegated): S cannot clear STIP, so it masks the source
 * in sie; SSIP it clears itself. */
static void s_irq(struct trap_frame *f)
{
    record(f->cause);
    seen_epc = f->epc;
    if ((f->cause & ~CAUSE_INTERRUPT) == IRQ_S_TIMER)
        csr_clear(sie, MIP_STIP);
    else
        csr_clear(sip, MIP_SSIP);
}

static void reset_seen(void)
{
    seen_count = 0;
    for (int i = 0; i < 8; i++)
        seen[i] = 0;
}

static void wait_for(u64 count)
{
    u64 start = mtime_now();
    while (seen_count < count && mtime_now() - start < WAIT_TICKS)
        ;
}

static void machine_timer(void)
{
    reset_seen();
    u64 start = mtime_now();
    MMIO64(CLINT_MTIMECMP(0)) = start + 1000;     /* 100 us at 10 MHz */
    check((csr_read(mip) & MIP_MTIP) == 0, "MTIP clear while mtime < mtimecmp");
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_for(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(seen_count, 1, "machine timer interrupt taken once");
    check_eq(seen[0], CAUSE_INTERRUPT | IRQ_M_TIMER, "mcause = interrupt | 7");
    check(mtime_now() >= start + 1000, "taken no earlier than mtimecmp");
    check((csr_read(mip) & MIP_MTIP) == 0, "MTIP cleared by writing mtimecmp");
    u64 t0 = mtime_now();
    for (volatile int i = 0; i < 1000; i++)
        ;
    check(mtime_now() > t0, "mtime advances");
}

static void machine_software(void)
{
    reset_seen();
    csr_write(mie, MIP_MSIP);
    MMIO32(CLINT_MSIP(0)) = 1;
    check((csr_read(mip) & MIP_MSIP) != 0, "msip = 1 sets mip.MSIP");
    check_eq(seen_count, 0, "not taken while mstatus.MIE = 0");
    csr_set(mstatus, MSTATUS_MIE);
    wait_for(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(seen_count, 1, "machine software interrupt taken once");
    check_eq(seen[0], CAUSE_INTERRUPT | IRQ_M_SOFT, "mcause = interrupt | 3");
    check_eq(MMIO32(CLINT_MSIP(0)), 0, "msip reads back 0 after clearing");
    check((csr_read(mip) & MIP_MSIP) == 0, "mip.MSIP follows msip");
}

/* S-mode body: enable S interrupts and spin until one is seen. */
static long s_wait(long count)
{
    csr_set(sstatus, MSTATUS_SIE);
    wait_for((u64)count);
    csr_clear(sstatus, MSTATUS_SIE);
    return (long)seen_count;
}

static void delegated(void)
{
    csr_write(stvec, (uintptr_t)trap_entry_s);
    csr_write(mideleg, MIP_SSIP | MIP_STIP);
    check_eq(csr_read(mideleg) & (MIP_SSIP | MIP_STIP), MIP_SSIP | MIP_STIP, "mideleg SSIP|STIP writable");

    reset_seen();
    csr_write(mie, MIP_STIP);
    csr_set(mip, MIP_STIP);
    check((csr_read(sip) & MIP_STIP) != 0, "STIP set by M is visible in sip");
    run_in_mode(PRV_S, s_wait, 1, LOWER_STACK);
    check_eq(seen_count, 1, "delegated supervisor timer interrupt taken in S");
    check_eq(seen[0], CAUSE_INTERRUPT | IRQ_S_TIMER, "scause = interrupt | 5");
    check((csr_read(sie) & MIP_STIP) == 0, "S handler masked STIE");
    csr_clear(mip, MIP_STIP);

    reset_seen();
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    run_in_mode(PRV_S, s_wait, 1, LOWER_STACK);
    check_eq(seen_count, 1, "delegated supervisor software interrupt taken in S");
    check_eq(seen[0], CAUSE_INTERRUPT | IRQ_S_SOFT, "scause = interrupt | 1");
    check((csr_read(mip) & MIP_SSIP) == 0, "S handler cleared sip.SSIP");

    /* delegated interrupts are not taken in M-mode (Priv 3.1.9) */
    reset_seen();
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    for (volatile int i = 0; i < 1000; i++)
        ;
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    check_eq(seen_count, 0, "delegated SSIP is not taken while in M");
    csr_clear(mip, MIP_SSIP);

    /* not delegated: SSIP pending while in S traps to M even with SIE = 0 */
    csr_write(mideleg, 0);
    reset_seen();
    csr_set(mip, MIP_SSIP);
    run_in_mode(PRV_S, s_wait, 1, LOWER_STACK);
    check_eq(seen_count, 1, "undelegated SSIP from S taken");
    check_eq(seen[0], CAUSE_INTERRUPT | IRQ_S_SOFT, "undelegated SSIP: mcause = interrupt | 1 in M");
    csr_write(mie, 0);
}

static void priority(void)
{
    reset_seen();
    csr_write(mideleg, 0);
    csr_write(mie, 0);
    MMIO32(CLINT_MSIP(0)) = 1;
    MMIO64(CLINT_MTIMECMP(0)) = 0;
    csr_set(mip, MIP_SSIP | MIP_STIP);
    for (volatile int i = 0; i < 100; i++)
        ;
    u64 pending = csr_read(mip) & (MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP);
    check_eq(pending, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP, "four interrupts pending");
    csr_write(mie, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_for(4);
    csr_clear(mstatus, MSTATUS_MIE);
    check_eq(seen_count, 4, "all four taken");
    /* Priv 3.1.9: MEI > MSI > MTI > SEI > SSI > STI. QEMU 7.2 without AIA
     * takes the lowest-numbered pending interrupt first (ctz of mip & mie):
     * that order is accepted but reported as a deviation. */
    static const u64 spec[4] = { IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_SOFT, IRQ_S_TIMER };
    static const u64 qemu[4] = { IRQ_S_SOFT, IRQ_M_SOFT, IRQ_S_TIMER, IRQ_M_TIMER };
    int is_spec = 1, is_qemu = 1;
    for (int i = 0; i < 4; i++) {
        is_spec &= seen[i] == (CAUSE_INTERRUPT | spec[i]);
        is_qemu &= seen[i] == (CAUSE_INTERRUPT | qemu[i]);
    }
    rt_printf("# order taken: %lu %lu %lu %lu\n", seen[0] & 0xff, seen[1] & 0xff, seen[2] & 0xff, seen[3] & 0xff);
    if (is_qemu)
        rt_puts("# deviation: interrupt priority is lowest number first (QEMU 7.2), not Priv 3.1.9\n");
    check(is_spec || is_qemu, "priority order MSI, MTI, SSI, STI (Priv 3.1.9)");
    csr_write(mie, 0);
}

static void wfi_wakeup(void)
{
    /* MIE = 0: WFI resumes when an enabled interrupt is pending, without
     * taking it (Priv 3.3.3) */
    reset_seen();
    csr_write(mie, MIP_MTIP);
    MMIO64(CLINT_MTIMECMP(0)) = mtime_now() + 2000;
    int rounds = 0;
    while (!(csr_read(mip) & MIP_MTIP) && rounds < 1000) {
        __asm__ volatile("wfi");
        rounds++;
    }
    check((csr_read(mip) & MIP_MTIP) != 0, "wfi returned with MTIP pending (MIE = 0, %d round(s))", rounds);
    check_eq(seen_count, 0, "interrupt not taken with MIE = 0");
    MMIO64(CLINT_MTIMECMP(0)) = ~0ULL;

    /* MIE = 1: the interrupt is taken right after WFI, mepc = the next insn.
     * If the timer fires before the WFI executes (QEMU's host timer makes
     * that possible), the handler re-arms it, so the WFI still wakes. */
    reset_seen();
    uintptr_t after;
    MMIO64(CLINT_MTIMECMP(0)) = mtime_now() + 2000;
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla t0, 1f\n\tsd t0, 0(%1)\n\tlla %0, 2f\n\tcsrsi mstatus, %2\n"
                     "1: wfi\n2: lw zero, 0(sp)\n.option pop"
                     : "=&r"(after) : "r"(&wfi_pc), "i"(MSTATUS_MIE) : "t0", "memory");
    wait_for(1);
    csr_clear(mstatus, MSTATUS_MIE);
    wfi_pc = 0;
    check(seen_count >= 1, "timer interrupt after wfi taken (%lu early)", seen_count - 1);
    check_eq(seen_epc, after, "mepc = instruction after wfi");
    csr_write(mie, 0);
}

int main(void)
{
    rt_puts("# interrupts: CLINT timer/software, delegation, priority, WFI\n");
    MMIO64(CLINT_MTIMECMP(0)) = ~0ULL;
    m_irq_hook = m_irq;
    s_irq_hook = s_irq;
    machine_timer();
    machine_software();
    delegated();
    priority();
    wfi_wakeup();
    return tests_done();
}
