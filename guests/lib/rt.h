/* ovm guest runtime: the C interface.
 *
 * Console: rt_putc/rt_puts/rt_printf (UART ns16550a at 0x10000000; rt_putc is
 * weak so a guest can route output elsewhere, e.g. HTIF).
 * Exit: rt_exit(code) through the SiFive test finisher (0 = pass).
 * Traps: trap_expect()/trap_expect_resume() arm a one-shot expectation; the
 * next exception is recorded in trap_rec and execution resumes after the
 * faulting instruction (or at the resume address). Unexpected traps print a
 * diagnostic and fail the program.
 * Modes: run_in_mode() runs a function at M, S or U privilege and returns its
 * result (the function's return performs an ecall the M handler recognises).
 * Checks: check()/check_eq() print TAP-like "ok N - ..." / "not ok N - ..."
 * lines; tests_done() prints the summary and returns the exit code.
 */
#ifndef RT_H
#define RT_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include "rt_asm.h"
#include "csr.h"

typedef uint64_t u64;
typedef int64_t s64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef int32_t s32;

/* ---- board (QEMU virt) ---- */
#define UART0_BASE      0x10000000UL
#define CLINT_BASE      0x02000000UL
#define CLINT_MSIP(h)   (CLINT_BASE + 4 * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME     (CLINT_BASE + 0xbff8)
#define TEST_FINISHER   0x100000UL
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define FINISHER_RESET  0x7777

#define MMIO32(a) (*(volatile u32 *)(uintptr_t)(a))
#define MMIO64(a) (*(volatile u64 *)(uintptr_t)(a))
#define MMIO8(a)  (*(volatile uint8_t *)(uintptr_t)(a))

/* ---- console ---- */
void rt_putc(char c);
void rt_puts(const char *s);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- exit ---- */
void rt_exit(int code) __attribute__((noreturn));

/* ---- traps ---- */
struct trap_frame {
    u64 x[32];        /* x[0] holds the vector index (-1 for direct entry) */
    u64 cause, epc, tval, status;
};

#define TRAP_IN_M 1
#define TRAP_IN_S 2

struct trap_record {
    u64 armed;        /* set by trap_expect*, cleared by the handler */
    u64 count;        /* traps recorded since boot */
    u64 cause, epc, tval, status;
    u64 prev_priv;    /* privilege the trap came from (MPP / SPP) */
    u64 handled_in;   /* TRAP_IN_M or TRAP_IN_S */
    s64 vector;       /* vector slot used (-1 = direct) */
    u64 resume;       /* if non-zero, continue here instead of after the insn */
};
extern volatile struct trap_record trap_rec;

void trap_expect(void);
void trap_expect_resume(uintptr_t resume);

/* Optional hooks. Interrupt hooks must clear their source. An ecall hook
 * returns non-zero if it handled the ecall (epc is then advanced by 4). */
extern void (*volatile m_irq_hook)(struct trap_frame *f);
extern void (*volatile s_irq_hook)(struct trap_frame *f);
extern int (*volatile m_ecall_hook)(struct trap_frame *f);

/* Trap entry points in crt0.S: direct M vector, M vector table (use with
 * mtvec MODE = 1), S vector (for stvec). */
extern char trap_entry_m[], trap_vector_m[], trap_entry_s[];

void m_trap_dispatch(struct trap_frame *f);
void s_trap_dispatch(struct trap_frame *f);

/* ---- privilege modes ---- */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3
long run_in_mode(int mode, long (*fn)(long), long arg, void *stack_top);
void lower_return(long value) __attribute__((noreturn));
extern char __lower_stack_top[];
#define LOWER_STACK ((void *)__lower_stack_top)
/* Cause of the last run_in_mode return ecall (8, 9 or 11). */
extern volatile u64 lower_return_cause;

/* ---- checks ---- */
void check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_eq(u64 got, u64 expected, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Checks that exactly one trap was recorded since trap_expect with the given
 * cause, tval and epc (pass CHECK_ANY to skip a field). */
#define CHECK_ANY 0xdeadbeefcafef00dULL
void check_trap(u64 cause, u64 tval, u64 epc, const char *what);
void check_no_trap(const char *what);
int tests_done(void);
u64 tests_failed(void);

/* ---- small libc replacements ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);

static inline u64 mtime_now(void) { return MMIO64(CLINT_MTIME); }

#endif
