/* S-mode SBI payload: greets through the SBI console, prints the SBI spec
 * version and implementation, starts another hart through SBI HSM (EID
 * 0x48534D) when there is one and waits until it has run and stopped itself,
 * and shuts down through SBI SRST.
 *
 * Console: the Debug Console extension "DBCN" (0x4442434E) when
 * sbi_probe_extension reports it, else the legacy console_putchar (EID 0x01;
 * OpenSBI 1.1 has no DBCN). Shutdown: SRST (EID 0x53525354, FID 0,
 * type 0 = shutdown, reason 0 = none); legacy shutdown (EID 0x08) if SRST is
 * absent. Calling convention: SBI spec ch. 3 (a7 = EID, a6 = FID, error in
 * a0, value in a1). */
#include <stdint.h>

#define SBI_EXT_BASE          0x10
#define SBI_BASE_SPEC_VERSION 0
#define SBI_BASE_IMPL_ID      1
#define SBI_BASE_IMPL_VERSION 2
#define SBI_BASE_PROBE        3
#define SBI_EXT_DBCN          0x4442434E
#define SBI_DBCN_WRITE_BYTE   2
#define SBI_EXT_SRST          0x53525354
#define SBI_EXT_HSM           0x48534D
#define SBI_HSM_START         0
#define SBI_HSM_STOP          1
#define SBI_HSM_STATUS        2
#define SBI_HSM_STOPPED       1
#define SBI_ERR_INVALID_PARAM (-3)
#define HSM_OPAQUE            0x5eedUL
#define SBI_LEGACY_PUTCHAR    0x01
#define SBI_LEGACY_SHUTDOWN   0x08

struct sbiret {
    long error;
    long value;
};

static struct sbiret sbi_call3(long eid, long fid, long arg0, long arg1, long arg2)
{
    register long a0 __asm__("a0") = arg0;
    register long a1 __asm__("a1") = arg1;
    register long a2 __asm__("a2") = arg2;
    register long a6 __asm__("a6") = fid;
    register long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){ a0, a1 };
}

static struct sbiret sbi_call(long eid, long fid, long arg0, long arg1)
{
    return sbi_call3(eid, fid, arg0, arg1, 0);
}

static int have_dbcn;

static void putc_sbi(char c)
{
    if (have_dbcn)
        sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (uint8_t)c, 0);
    else
        sbi_call(SBI_LEGACY_PUTCHAR, 0, (uint8_t)c, 0);
}

static void puts_sbi(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            putc_sbi('\r');
        putc_sbi(*s);
    }
}

static void put_number(unsigned long v, unsigned base)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        putc_sbi(tmp[--n]);
}

static const char *impl_name(long id)
{
    switch (id) {
    case 0x6F766D: return "ovm";
    case 0: return "Berkeley Boot Loader";
    case 1: return "OpenSBI";
    case 2: return "Xvisor";
    case 3: return "KVM";
    case 4: return "RustSBI";
    case 5: return "Diosix";
    case 6: return "Coffer";
    default: return "unknown";
    }
}

/* Written by the started hart: the opaque value hart_start gave it. */
static volatile unsigned long secondary_opaque;

extern char _secondary[];

void secondary_main(unsigned long hartid, unsigned long opaque)
{
    (void)hartid;
    secondary_opaque = opaque;
    sbi_call(SBI_EXT_HSM, SBI_HSM_STOP, 0, 0); /* does not return on success */
}

/* Starts the other of harts 0/1 through HSM, waits until it ran and stopped. */
static void exercise_hsm(unsigned long hartid)
{
    unsigned long other = hartid == 0 ? 1 : 0;
    struct sbiret start = sbi_call3(SBI_EXT_HSM, SBI_HSM_START, (long)other,
                                    (long)_secondary, (long)HSM_OPAQUE);
    if (start.error == SBI_ERR_INVALID_PARAM) {
        puts_sbi("HSM: one hart only\n");
        return;
    }
    if (start.error != 0) {
        puts_sbi("HSM: hart_start failed\n");
        return;
    }
    for (long spin = 0; spin < 100000000L && secondary_opaque != HSM_OPAQUE; spin++)
        ;
    for (long spin = 0; spin < 100000000L; spin++) {
        struct sbiret status = sbi_call(SBI_EXT_HSM, SBI_HSM_STATUS, (long)other, 0);
        if (status.error == 0 && status.value == SBI_HSM_STOPPED)
            break;
    }
    if (secondary_opaque == HSM_OPAQUE
        && sbi_call(SBI_EXT_HSM, SBI_HSM_STATUS, (long)other, 0).value == SBI_HSM_STOPPED) {
        puts_sbi("HSM: hart ");
        put_number(other, 10);
        puts_sbi(" started with opaque 0x5eed and stopped itself\n");
    } else {
        puts_sbi("HSM: the started hart did not run\n");
    }
}

void payload_main(unsigned long hartid, unsigned long dtb)
{
    struct sbiret probe = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE, SBI_EXT_DBCN, 0);
    have_dbcn = probe.error == 0 && probe.value != 0;
    puts_sbi("\nhello from the ovm SBI payload (S-mode, hart ");
    put_number(hartid, 10);
    puts_sbi(", DTB 0x");
    put_number(dtb, 16);
    puts_sbi(")\n");
    puts_sbi(have_dbcn ? "console: SBI DBCN extension\n"
                       : "console: legacy console_putchar (no DBCN)\n");

    long spec = sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0).value;
    puts_sbi("SBI specification version ");
    put_number((unsigned long)(spec >> 24) & 0x7f, 10);
    putc_sbi('.');
    put_number((unsigned long)spec & 0xffffff, 10);
    long impl = sbi_call(SBI_EXT_BASE, SBI_BASE_IMPL_ID, 0, 0).value;
    long version = sbi_call(SBI_EXT_BASE, SBI_BASE_IMPL_VERSION, 0, 0).value;
    puts_sbi("\nSBI implementation: ");
    puts_sbi(impl_name(impl));
    puts_sbi(" (id ");
    put_number((unsigned long)impl, 10);
    puts_sbi("), version 0x");
    put_number((unsigned long)version, 16);
    puts_sbi("\n");

    struct sbiret hsm = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE, SBI_EXT_HSM, 0);
    if (hsm.error == 0 && hsm.value != 0)
        exercise_hsm(hartid);

    struct sbiret srst = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE, SBI_EXT_SRST, 0);
    if (srst.error == 0 && srst.value != 0) {
        puts_sbi("shutting down through SBI SRST\n");
        sbi_call(SBI_EXT_SRST, 0, 0, 0);
    }
    puts_sbi("SRST unavailable or failed: legacy shutdown\n");
    sbi_call(SBI_LEGACY_SHUTDOWN, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}
