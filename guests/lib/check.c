/* TAP-like check reporting: one line per check, summary, exit code. */
#include "rt.h"

static u64 checks_run;
static u64 checks_failed;

static void report(int ok, const char *detail_fmt, u64 got, u64 expected,
                   const char *fmt, va_list ap)
{
    char desc[160];
    rt_vsnprintf(desc, sizeof desc, fmt, ap);
    checks_run++;
    if (ok) {
        rt_printf("ok %lu - %s\n", checks_run, desc);
    } else {
        checks_failed++;
        rt_printf("not ok %lu - %s", checks_run, desc);
        if (detail_fmt)
            rt_printf(detail_fmt, got, expected);
        rt_putc('\n');
    }
}

void check(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(cond, NULL, 0, 0, fmt, ap);
    va_end(ap);
}

void check_eq(u64 got, u64 expected, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(got == expected, ": got 0x%lx expected 0x%lx", got, expected, fmt, ap);
    va_end(ap);
}

void check_trap(u64 cause, u64 tval, u64 epc, const char *what)
{
    int taken = !trap_rec.armed;
    check(taken, "%s: trap taken", what);
    if (!taken) {
        trap_rec.armed = 0;
        return;
    }
    check_eq(trap_rec.cause, cause, "%s: cause", what);
    if (tval != CHECK_ANY)
        check_eq(trap_rec.tval, tval, "%s: tval", what);
    if (epc != CHECK_ANY)
        check_eq(trap_rec.epc, epc, "%s: epc", what);
}

void check_no_trap(const char *what)
{
    int none = trap_rec.armed != 0;
    trap_rec.armed = 0;
    check(none, "%s: no trap", what);
}

u64 tests_failed(void)
{
    return checks_failed;
}

int tests_done(void)
{
    rt_printf("# %lu checks, %lu failed\n", checks_run, checks_failed);
    rt_puts(checks_failed ? "FAIL\n" : "PASS\n");
    return checks_failed ? 1 : 0;
}
