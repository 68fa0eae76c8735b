/* HTIF (Berkeley host-target interface) guest: prints through the console
 * device (device 1, command 1 = putchar) and exits through tohost =
 * (code << 1) | 1. The host finds the mailbox through the ELF symbols
 * `tohost` and `fromhost` (section .tohost). QEMU's virt board has no HTIF,
 * so this guest runs on ovm (and on QEMU's `spike` machine), not on virt. */
#include "rt.h"

volatile u64 tohost __attribute__((section(".tohost"), aligned(64)));
volatile u64 fromhost __attribute__((section(".tohost"), aligned(64)));

#define HTIF_DEVICE_CONSOLE 1UL
#define HTIF_CMD_PUTCHAR    1UL

static void htif_send(u64 value)
{
    /* wait until the host consumed the previous request */
    while (tohost)
        fromhost = 0;
    tohost = value;
}

void rt_putc(char c)
{
    htif_send((HTIF_DEVICE_CONSOLE << 56) | (HTIF_CMD_PUTCHAR << 48) | (uint8_t)c);
}

/* The host polls tohost asynchronously (ovm between quanta), so after the
 * exit request the hart spins rather than WFI: a VMM may otherwise see an
 * idle hart before it has read the request. */
void rt_exit(int code)
{
    htif_send(((u64)(u32)code << 1) | 1);
    for (;;)
        ;
}

int main(void)
{
    rt_puts("# htif: console output and exit through tohost\n");
    u64 sum = 0;
    for (u64 i = 1; i <= 100; i++)
        sum += i;
    check_eq(sum, 5050, "arithmetic works (sum 1..100)");
    check_eq(((uintptr_t)&tohost) & 63, 0, "tohost is 64-byte aligned");
    /* the host consumes a request some time after it is written */
    rt_putc('\n');
    long spins = 0;
    while (tohost && spins < 100000000)
        spins++;
    int consumed = tohost == 0;
    check(consumed, "host consumed the last request (tohost cleared after %ld spins)", spins);
    rt_puts("hello from the ovm HTIF guest\n");
    return tests_done();
}
