/* Console output: polled ns16550a UART and a small printf.
 * Supported conversions: %d %i %u %x %X %p %s %c %%, flags '0' '-', a field
 * width, and the length modifiers l, ll, z. No floating point. */
#include "rt.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

__attribute__((weak)) void rt_putc(char c)
{
    while (!(MMIO8(UART0_BASE + UART_LSR) & UART_LSR_THRE))
        ;
    MMIO8(UART0_BASE + UART_THR) = (uint8_t)c;
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

struct sink {
    char *buf;      /* NULL: write to the console */
    size_t size;
    size_t len;
};

static void emit(struct sink *k, char c)
{
    if (!k->buf)
        rt_putc(c);
    else if (k->len + 1 < k->size)
        k->buf[k->len] = c;
    k->len++;
}

static void emit_number(struct sink *k, u64 v, unsigned base, int negative,
                        int width, char pad, int left, int upper)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative)
        width--;
    if (negative && pad == '0')
        emit(k, '-');
    if (!left)
        for (int i = n; i < width; i++)
            emit(k, pad);
    if (negative && pad != '0')
        emit(k, '-');
    while (n)
        emit(k, tmp[--n]);
    if (left)
        for (int i = (int)(n + (negative ? 1 : 0)); i < width; i++)
            emit(k, ' ');
}

static void format(struct sink *k, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(k, *fmt);
            continue;
        }
        fmt++;
        int left = 0, width = 0, longs = 0;
        char pad = ' ';
        for (; *fmt == '0' || *fmt == '-'; fmt++) {
            if (*fmt == '0') pad = '0';
            else left = 1;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l' || *fmt == 'z'; fmt++)
            longs++;
        switch (*fmt) {
        case 'd': case 'i': {
            s64 v = longs ? va_arg(ap, s64) : va_arg(ap, int);
            u64 mag = v < 0 ? -(u64)v : (u64)v;
            emit_number(k, mag, 10, v < 0, width, pad, left, 0);
            break;
        }
        case 'u': case 'x': case 'X': {
            u64 v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned);
            emit_number(k, v, *fmt == 'u' ? 10 : 16, 0, width, pad, left, *fmt == 'X');
            break;
        }
        case 'p':
            emit(k, '0');
            emit(k, 'x');
            emit_number(k, (u64)(uintptr_t)va_arg(ap, void *), 16, 0, width, pad, left, 0);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int n = (int)strlen(s);
            if (!left) for (int i = n; i < width; i++) emit(k, ' ');
            while (*s) emit(k, *s++);
            if (left) for (int i = n; i < width; i++) emit(k, ' ');
            break;
        }
        case 'c':
            emit(k, (char)va_arg(ap, int));
            break;
        case '%':
            emit(k, '%');
            break;
        case '\0':
            return;
        default:
            emit(k, '%');
            emit(k, *fmt);
        }
    }
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink k = { buf, size, 0 };
    format(&k, fmt, ap);
    if (buf && size)
        buf[k.len < size ? k.len : size - 1] = '\0';
    return (int)k.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int rt_printf(const char *fmt, ...)
{
    struct sink k = { NULL, 0, 0 };
    va_list ap;
    va_start(ap, fmt);
    format(&k, fmt, ap);
    va_end(ap);
    return (int)k.len;
}

/* Test finisher (SiFive "test" device): 0x5555 passes, (code << 16) | 0x3333
 * fails with that exit code. Weak so HTIF guests can replace it. */
__attribute__((weak)) void rt_exit(int code)
{
    if (code == 0)
        MMIO32(TEST_FINISHER) = FINISHER_PASS;
    else
        MMIO32(TEST_FINISHER) = ((u32)(code & 0xffff) << 16) | FINISHER_FAIL;
    for (;;)
        __asm__ volatile("wfi");
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
