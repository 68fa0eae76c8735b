/* The default guest `./ovm run` boots: a banner, the boot arguments (hart id,
 * DTB address and the DTB's magic), a little visible work (primes, CRC-32),
 * two machine timer interrupts, then power-off through the test finisher
 * with status 0. Runs well under 10 million instructions. */
#include "rt.h"

#define FDT_MAGIC 0xd00dfeedU
#define TICKS_PER_MS 10000UL        /* CLINT mtime runs at 10 MHz on virt */

static u32 be32(const volatile uint8_t *p)
{
    return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static void show_dtb(u64 dtb)
{
    rt_printf("DTB address: 0x%lx\n", dtb);
    if (dtb < 0x80000000UL || (dtb & 3)) {
        rt_puts("DTB: not in RAM, skipped\n");
        return;
    }
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)dtb;
    trap_expect();                    /* survive an unreadable address */
    u32 magic = be32(p);
    u32 size = be32(p + 4);
    if (!trap_rec.armed) {
        rt_puts("DTB: unreadable\n");
        return;
    }
    trap_rec.armed = 0;
    rt_printf("DTB magic bytes: %02x %02x %02x %02x (%s), totalsize %u bytes\n",
              p[0], p[1], p[2], p[3], magic == FDT_MAGIC ? "valid FDT" : "not an FDT", size);
}

static void primes(void)
{
    rt_puts("primes below 100:");
    for (int n = 2; n < 100; n++) {
        int prime = 1;
        for (int d = 2; d * d <= n; d++)
            if (n % d == 0) {
                prime = 0;
                break;
            }
        if (prime)
            rt_printf(" %d", n);
    }
    rt_putc('\n');
}

static u32 crc32(const char *s)
{
    u32 crc = 0xffffffffU;
    for (; *s; s++) {
        crc ^= (uint8_t)*s;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
    }
    return ~crc;
}

static volatile u64 ticks;

static void on_timer(struct trap_frame *f)
{
    (void)f;
    ticks++;
    MMIO64(CLINT_MTIMECMP(0)) = ~0ULL;
}

static void timer_interrupts(void)
{
    m_irq_hook = on_timer;
    csr_write(mie, MIP_MTIP);
    for (int i = 1; i <= 2; i++) {
        u64 start = mtime_now();
        MMIO64(CLINT_MTIMECMP(0)) = start + TICKS_PER_MS;
        /* WFI with MIE = 0 wakes once MTIP is pending (no lost wake-up);
         * opening MIE afterwards takes the interrupt. */
        while (ticks < (u64)i) {
            __asm__ volatile("wfi");
            csr_set(mstatus, MSTATUS_MIE);
            csr_clear(mstatus, MSTATUS_MIE);
        }
        rt_printf("timer interrupt %d after %lu ticks\n", i, mtime_now() - start);
    }
    csr_write(mie, 0);
}

int main(u64 hartid, u64 dtb)
{
    rt_puts("\n=== ovm demo guest ===\n");
    rt_puts("Hello from a bare-metal RISC-V RV64 program running on ovm.\n");
    rt_printf("hart id: %lu\n", hartid);
    show_dtb(dtb);
    primes();
    const char *text = "The quick brown fox jumps over the lazy dog";
    u32 crc = crc32(text);
    rt_printf("crc32(\"%s\") = 0x%08x (%s)\n", text, crc, crc == 0x414fa339U ? "correct" : "WRONG");
    timer_interrupts();
    u64 instret = csr_read(minstret);
    rt_printf("minstret at exit: %lu (exact on ovm; host-tick based on QEMU without -icount)\n", instret);
    rt_puts("demo done, powering off.\n");
    return crc == 0x414fa339U ? 0 : 1;
}
