/* Trap dispatch for the M-mode and S-mode trap vectors (crt0.S).
 * Order of decisions: run_in_mode return ecall, interrupt hooks, an armed
 * expectation (record and skip), the ecall hook, else a fatal diagnostic. */
#include "rt.h"

volatile struct trap_record trap_rec;
void (*volatile m_irq_hook)(struct trap_frame *f);
void (*volatile s_irq_hook)(struct trap_frame *f);
int (*volatile m_ecall_hook)(struct trap_frame *f);
volatile u64 lower_return_cause;

void trap_expect(void)
{
    trap_rec.resume = 0;
    trap_rec.cause = trap_rec.epc = trap_rec.tval = CHECK_ANY;
    trap_rec.armed = 1;
    __asm__ volatile("" ::: "memory");
}

void trap_expect_resume(uintptr_t resume)
{
    trap_expect();
    trap_rec.resume = resume;
}

/* Length of the instruction at a physical (or identity-mapped) address:
 * Unpriv 1.5: low bits 11 mean 32 bits, anything else 16 bits. */
static u64 insn_length(u64 epc)
{
    uint16_t low = *(volatile uint16_t *)(uintptr_t)epc;
    return (low & 3) == 3 ? 4 : 2;
}

static int is_ecall(u64 cause)
{
    return cause == CAUSE_USER_ECALL || cause == CAUSE_SUPERVISOR_ECALL
        || cause == CAUSE_MACHINE_ECALL;
}

static void record(struct trap_frame *f, u64 prev_priv, u64 where)
{
    trap_rec.cause = f->cause;
    trap_rec.epc = f->epc;
    trap_rec.tval = f->tval;
    trap_rec.status = f->status;
    trap_rec.prev_priv = prev_priv;
    trap_rec.handled_in = where;
    trap_rec.vector = (s64)f->x[0];
    trap_rec.count++;
    trap_rec.armed = 0;
    if (trap_rec.resume) {
        f->epc = trap_rec.resume;
        trap_rec.resume = 0;
    } else if (!(f->cause & CAUSE_INTERRUPT)) {
        f->epc += insn_length(f->epc);
    }
}

static void fatal(const char *level, struct trap_frame *f)
{
    rt_printf("\nFATAL: unexpected %s trap: cause=0x%lx epc=0x%lx tval=0x%lx status=0x%lx\n",
              level, f->cause, f->epc, f->tval, f->status);
    rt_exit(100);
}

void m_trap_dispatch(struct trap_frame *f)
{
    u64 prev = (f->status >> MSTATUS_MPP_SHIFT) & 3;
    if (is_ecall(f->cause) && f->x[17] == RT_RETURN_MAGIC) {
        lower_return_cause = f->cause;
        lower_return((long)f->x[10]);
    }
    if ((f->cause & CAUSE_INTERRUPT) && m_irq_hook) {
        m_irq_hook(f);
        return;
    }
    if (trap_rec.armed) {
        record(f, prev, TRAP_IN_M);
        return;
    }
    if (is_ecall(f->cause) && m_ecall_hook && m_ecall_hook(f)) {
        f->epc += 4;
        return;
    }
    fatal("M-mode", f);
}

void s_trap_dispatch(struct trap_frame *f)
{
    u64 prev = (f->status & MSTATUS_SPP) ? PRV_S : PRV_U;
    if (f->cause == CAUSE_USER_ECALL && f->x[17] == RT_RETURN_MAGIC) {
        /* U-mode ecalls are delegated: forward the return to M-mode. */
        register long a0 __asm__("a0") = (long)f->x[10];
        register long a7 __asm__("a7") = RT_RETURN_MAGIC;
        __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
    }
    if ((f->cause & CAUSE_INTERRUPT) && s_irq_hook) {
        s_irq_hook(f);
        return;
    }
    if (trap_rec.armed) {
        record(f, prev, TRAP_IN_S);
        return;
    }
    fatal("S-mode", f);
}
