/* ovm-bench: a CoreMark-like workload of our own. Each iteration runs four
 * kernels on data derived from the iteration number and folds their results
 * into a running CRC-16:
 *   - list:   build a linked list of LIST_NODES pseudo-random keys, merge-sort
 *             it, walk it checking order, reverse it;
 *   - matrix: C = A * B for MATRIX_N x MATRIX_N 32-bit matrices, plus a sum;
 *   - crc:    bitwise CRC-32 over a 512-byte buffer;
 *   - state:  a finite-state machine classifying the tokens of a text as
 *             integer / hex / decimal / identifier / invalid.
 * The final checksum is compared with the value recorded on QEMU; minstret
 * and mcycle are printed at the end (exact instruction count on ovm and on
 * QEMU with -icount shift=0). */
#include "rt.h"

#define ITERATIONS   4000
#define LIST_NODES   200
#define MATRIX_N     16
#define CRC_BYTES    512
#define EXPECTED_CHECKSUM 0xb3dcU   /* recorded on QEMU 7.2, see README */

static u32 seed;

static u32 next_random(void)
{
    seed = seed * 1103515245U + 12345U;
    return seed >> 8;
}

static u16 crc16_update(u16 crc, u32 value)
{
    for (int byte = 0; byte < 4; byte++) {
        crc ^= (u16)((value >> (8 * byte)) & 0xff);
        for (int k = 0; k < 8; k++)
            crc = (u16)((crc >> 1) ^ (0xa001U & -(crc & 1U)));
    }
    return crc;
}

/* ---- list ---- */
struct node {
    struct node *next;
    s32 key;
    u32 payload;
};

static struct node nodes[LIST_NODES];

static struct node *merge(struct node *a, struct node *b)
{
    struct node head, *tail = &head;
    while (a && b) {
        if (a->key <= b->key) {
            tail->next = a;
            a = a->next;
        } else {
            tail->next = b;
            b = b->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return head.next;
}

static struct node *merge_sort(struct node *list)
{
    if (!list || !list->next)
        return list;
    struct node *slow = list, *fast = list->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct node *second = slow->next;
    slow->next = 0;
    return merge(merge_sort(list), merge_sort(second));
}

static u32 list_kernel(void)
{
    for (int i = 0; i < LIST_NODES; i++) {
        nodes[i].key = (s32)(next_random() & 0xffff) - 0x8000;
        nodes[i].payload = (u32)i;
        nodes[i].next = i + 1 < LIST_NODES ? &nodes[i + 1] : 0;
    }
    struct node *list = merge_sort(&nodes[0]);
    u32 result = 0, count = 0;
    s32 previous = -0x10000;
    for (struct node *n = list; n; n = n->next) {
        if (n->key < previous)
            result ^= 0xbad0000;
        previous = n->key;
        result = result * 31 + (u32)n->key + n->payload;
        count++;
    }
    struct node *reversed = 0;
    while (list) {
        struct node *next = list->next;
        list->next = reversed;
        reversed = list;
        list = next;
    }
    return result ^ count ^ (u32)reversed->key;
}

/* ---- matrix ---- */
static s32 mat_a[MATRIX_N][MATRIX_N], mat_b[MATRIX_N][MATRIX_N], mat_c[MATRIX_N][MATRIX_N];

static u32 matrix_kernel(void)
{
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            mat_a[i][j] = (s32)(next_random() & 0x3ff) - 0x200;
            mat_b[i][j] = (s32)(next_random() & 0x3ff) - 0x200;
        }
    s64 sum = 0;
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            s32 acc = 0;
            for (int k = 0; k < MATRIX_N; k++)
                acc += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = acc;
            sum += acc;
        }
    return (u32)sum ^ (u32)(sum >> 32) ^ (u32)mat_c[MATRIX_N - 1][MATRIX_N / 2];
}

/* ---- crc ---- */
static uint8_t crc_buffer[CRC_BYTES];

static u32 crc_kernel(void)
{
    for (int i = 0; i < CRC_BYTES; i += 4) {
        u32 r = next_random();
        crc_buffer[i] = (uint8_t)r;
        crc_buffer[i + 1] = (uint8_t)(r >> 8);
        crc_buffer[i + 2] = (uint8_t)(r >> 16);
        crc_buffer[i + 3] = (uint8_t)(r >> 24);
    }
    u32 crc = 0xffffffffU;
    for (int i = 0; i < CRC_BYTES; i++) {
        crc ^= crc_buffer[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1U));
    }
    return ~crc;
}

/* ---- state machine ---- */
enum state { START, INTEGER, HEX_PREFIX, HEX, DECIMAL, IDENT, INVALID, NSTATES };

static const char *const texts[4] = {
    "12 0x1f 3.25 abc _x9 7e 0x 1.2.3 -45 +6 0xzz 99.5 name_2 42 0 0x0 .5 q",
    "5012 0xdeadbeef 1.0 alpha beta 0x10 12a 3.14159 zz9 +0 -0x1 8.",
    "x 1 2 3 0x4 5.5 6.6.6 seven 0x8 nine 10 0xB 12.0 thirteen",
    "-1 -2.5 0x7fffffff foo_bar 1e9 0xabc 77 .. 0.0 bad! id 123456",
};

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static enum state step(enum state s, char c, int first)
{
    switch (s) {
    case START:
        if (c == '0') return HEX_PREFIX;
        if (is_digit(c) || ((c == '-' || c == '+') && first)) return INTEGER;
        if (c == '.') return DECIMAL;
        if (is_alpha(c)) return IDENT;
        return INVALID;
    case HEX_PREFIX:
        if (c == 'x' || c == 'X') return HEX;
        if (is_digit(c)) return INTEGER;
        if (c == '.') return DECIMAL;
        return INVALID;
    case INTEGER:
        if (is_digit(c)) return INTEGER;
        if (c == '.') return DECIMAL;
        return INVALID;
    case HEX:
        return is_hex(c) ? HEX : INVALID;
    case DECIMAL:
        return is_digit(c) ? DECIMAL : INVALID;
    case IDENT:
        return is_alpha(c) || is_digit(c) ? IDENT : INVALID;
    default:
        return INVALID;
    }
}

static u32 state_kernel(u32 iteration)
{
    u32 counts[NSTATES] = { 0 };
    const char *t = texts[iteration & 3];
    while (*t) {
        while (*t == ' ')
            t++;
        if (!*t)
            break;
        enum state s = START;
        int first = 1;
        for (; *t && *t != ' '; t++) {
            s = step(s, *t, first);
            first = 0;
        }
        counts[s]++;
    }
    u32 r = 0;
    for (int i = 0; i < NSTATES; i++)
        r = r * 7 + counts[i];
    return r;
}

int main(void)
{
    rt_printf("bench: %d iterations (list %d, matrix %dx%d, crc %d bytes, state machine)\n",
              ITERATIONS, LIST_NODES, MATRIX_N, MATRIX_N, CRC_BYTES);
    u64 instret0 = csr_read(minstret), cycle0 = csr_read(mcycle);
    u16 crc = 0;
    for (u32 it = 0; it < ITERATIONS; it++) {
        seed = it * 2654435761U + 1;
        crc = crc16_update(crc, list_kernel());
        crc = crc16_update(crc, matrix_kernel());
        crc = crc16_update(crc, crc_kernel());
        crc = crc16_update(crc, state_kernel(it));
    }
    u64 instret1 = csr_read(minstret), cycle1 = csr_read(mcycle);
    int ok = crc == EXPECTED_CHECKSUM;
    rt_printf("bench: checksum 0x%04x %s\n", crc, ok ? "OK" : "MISMATCH");
    rt_printf("bench: minstret %lu (kernel loop %lu), mcycle %lu\n",
              instret1, instret1 - instret0, cycle1 - cycle0);
    return ok ? 0 : 1;
}
