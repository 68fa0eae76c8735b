/* RV64I base integer instructions (Unpriv spec ch. 2 and 5): every
 * register-register and immediate operation including the W forms, shift
 * amounts at the edges, sign extension of loads/LUI/W results, branches taken
 * and not taken, JAL/JALR link values and JALR bit-0 clearing, AUIPC. */
#include "rt.h"

#define R(op, a, b) ({ u64 _r; __asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((u64)(a)), "r"((u64)(b))); _r; })
#define I(op, a, imm) ({ u64 _r; __asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((u64)(a)), "i"(imm)); _r; })
#define T(expr, expected) check_eq((u64)(expr), (u64)(expected), "%s", #expr)

/* 1 if the branch is taken */
#define BR(op, a, b) ({ u64 _t; __asm__ volatile( \
    "li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:" \
    : "=&r"(_t) : "r"((u64)(a)), "r"((u64)(b))); _t; })

static void arith(void)
{
    T(R("add", 1, 2), 3);
    T(R("add", -1, 1), 0);
    T(R("add", 0x7fffffffffffffff, 1), 0x8000000000000000);
    T(R("sub", 1, 2), -1);
    T(R("sub", 0x8000000000000000, 1), 0x7fffffffffffffff);
    T(I("addi", 5, -6), -1);
    T(I("addi", 0, 2047), 2047);
    T(I("addi", 0, -2048), -2048);
    T(R("addw", 0x7fffffff, 1), 0xffffffff80000000);
    T(R("addw", 0xffffffff00000001, 0x100000001), 2);
    T(R("subw", 0, 1), -1);
    T(R("subw", 0x80000000, 1), 0x7fffffff);
    T(I("addiw", 0x7fffffff, 1), 0xffffffff80000000);
    T(I("addiw", 0x123456789, 0), 0x23456789);
    T(I("addiw", 0xffffffff, 0), -1);
    T(R("and", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0), 0x0f000f000f000f00);
    T(R("or", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0), 0xfff0fff0fff0fff0);
    T(R("xor", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0), 0xf0f0f0f0f0f0f0f0);
    T(I("andi", 0xffffffffffffffff, -16), 0xfffffffffffffff0);
    T(I("andi", 0x123, 0x7ff), 0x123);
    T(I("ori", 0, -2048), 0xfffffffffffff800);
    T(I("xori", 0x5555, -1), ~(u64)0x5555);
    T(R("slt", -1, 0), 1);
    T(R("slt", 0, -1), 0);
    T(R("slt", 5, 5), 0);
    T(R("sltu", -1, 0), 0);
    T(R("sltu", 0, -1), 1);
    T(I("slti", -5, -4), 1);
    T(I("slti", 0, -1), 0);
    T(I("sltiu", 0, -1), 1);      /* imm sign-extends to 2^64-1 */
    T(I("sltiu", -2, -1), 1);
    T(I("sltiu", -1, -1), 0);
    T(I("sltiu", 0, 1), 1);       /* seqz */
}

static void shifts(void)
{
    T(R("sll", 1, 63), 0x8000000000000000);
    T(R("sll", 1, 64), 1);        /* only rs2[5:0] counts */
    T(R("sll", 3, 0x7f), 0x8000000000000000);
    T(R("srl", 0x8000000000000000, 63), 1);
    T(R("srl", 0x8000000000000000, 64), 0x8000000000000000);
    T(R("sra", 0x8000000000000000, 63), -1);
    T(R("sra", 0x8000000000000000, 1), 0xc000000000000000);
    T(I("slli", 1, 63), 0x8000000000000000);
    T(I("slli", 0xff, 0), 0xff);
    T(I("srli", -1, 63), 1);
    T(I("srli", -1, 1), 0x7fffffffffffffff);
    T(I("srai", 0x8000000000000000, 63), -1);
    T(I("srai", 0x4000000000000000, 62), 1);
    T(R("sllw", 1, 31), 0xffffffff80000000);
    T(R("sllw", 1, 32), 1);       /* only rs2[4:0] counts */
    T(R("sllw", 0xffffffff00000001, 0), 1);
    T(R("srlw", 0x80000000, 0), 0xffffffff80000000);
    T(R("srlw", 0x80000000, 31), 1);
    T(R("srlw", 0xffffffff80000000, 1), 0x40000000);
    T(R("srlw", 0x80000000, 33), 0x40000000);
    T(R("sraw", 0x80000000, 31), -1);
    T(R("sraw", 0x80000000, 4), 0xfffffffff8000000);
    T(R("sraw", 0x1234567880000000, 0), 0xffffffff80000000);
    T(I("slliw", 1, 31), 0xffffffff80000000);
    T(I("slliw", 0x80000001, 1), 2);
    T(I("srliw", 0x80000000, 31), 1);
    T(I("srliw", 0xffffffff, 0), -1);
    T(I("srliw", 0xfffffffff0000000, 4), 0x0f000000);
    T(I("sraiw", 0x80000000, 31), -1);
    T(I("sraiw", 0x7fffffff, 30), 1);
}

static void upper(void)
{
    u64 r, pc;
    __asm__ volatile("lui %0, 0x80000" : "=r"(r));
    check_eq(r, 0xffffffff80000000, "lui 0x80000 sign-extends");
    __asm__ volatile("lui %0, 0x7ffff" : "=r"(r));
    check_eq(r, 0x7ffff000, "lui 0x7ffff");
    __asm__ volatile("lui %0, 0xfffff" : "=r"(r));
    check_eq(r, 0xfffffffffffff000, "lui 0xfffff");
    __asm__ volatile(".option push\n.option norvc\nlla %1, 1f\n1: auipc %0, 0\n.option pop" : "=r"(r), "=&r"(pc));
    check_eq(r, pc, "auipc 0 = pc");
    __asm__ volatile(".option push\n.option norvc\nlla %1, 1f\n1: auipc %0, 1\n.option pop" : "=r"(r), "=&r"(pc));
    check_eq(r, pc + 0x1000, "auipc 1 = pc + 0x1000");
    __asm__ volatile(".option push\n.option norvc\nlla %1, 1f\n1: auipc %0, 0xfffff\n.option pop" : "=r"(r), "=&r"(pc));
    check_eq(r, pc - 0x1000, "auipc 0xfffff = pc - 0x1000");
}

static volatile u64 mem[4];

static void loads_stores(void)
{
    mem[0] = 0x8182838485868788ULL;
    mem[1] = 0;
    volatile uint8_t *b = (volatile uint8_t *)mem;
    u64 r;
#define LD(op, off) ({ __asm__ volatile(op " %0, " #off "(%1)" : "=r"(r) : "r"(b) : "memory"); r; })
    T(LD("lb", 0), 0xffffffffffffff88);
    T(LD("lbu", 0), 0x88);
    T(LD("lb", 7), 0xffffffffffffff81);
    T(LD("lh", 0), 0xffffffffffff8788);
    T(LD("lhu", 0), 0x8788);
    T(LD("lh", 6), 0xffffffffffff8182);
    T(LD("lw", 0), 0xffffffff85868788);
    T(LD("lwu", 0), 0x85868788);
    T(LD("lw", 4), 0xffffffff81828384);
    T(LD("ld", 0), 0x8182838485868788);
    mem[1] = 0x7f7f7f7f7f7f7f7fULL;
    T(LD("lb", 8), 0x7f);
    T(LD("lh", 8), 0x7f7f);
    T(LD("lw", 8), 0x7f7f7f7f);
    /* negative offset */
    __asm__ volatile("ld %0, -8(%1)" : "=r"(r) : "r"(b + 16) : "memory");
    check_eq(r, 0x7f7f7f7f7f7f7f7f, "ld -8(rs1)");
#define ST(op, off, v) __asm__ volatile(op " %0, " #off "(%1)" :: "r"((u64)(v)), "r"(b) : "memory")
    mem[2] = 0;
    ST("sb", 16, 0x1234567890abcdefULL);
    check_eq(mem[2], 0xef, "sb stores the low byte");
    ST("sh", 18, 0x1234567890abcdefULL);
    check_eq(mem[2], 0xcdef00ef, "sh stores the low half at +2");
    ST("sw", 20, 0x1234567890abcdefULL);
    check_eq(mem[2], 0x90abcdefcdef00efULL, "sw stores the low word at +4");
    ST("sd", 16, 0x1122334455667788ULL);
    check_eq(mem[2], 0x1122334455667788ULL, "sd stores the doubleword");
    ST("sb", 23, 0xaa);
    check_eq(mem[2], 0xaa22334455667788ULL, "sb at +7");
    /* x0 as destination stays zero */
    __asm__ volatile("addi x0, x0, 5\n\tmv %0, x0" : "=r"(r));
    check_eq(r, 0, "x0 stays zero after a write");
}

static void branches(void)
{
    T(BR("beq", 5, 5), 1);  T(BR("beq", 5, 6), 0);
    T(BR("bne", 5, 6), 1);  T(BR("bne", 5, 5), 0);
    T(BR("blt", -1, 0), 1); T(BR("blt", 0, -1), 0); T(BR("blt", 3, 3), 0);
    T(BR("bge", 0, -1), 1); T(BR("bge", 3, 3), 1);  T(BR("bge", -1, 0), 0);
    T(BR("bltu", 0, -1), 1); T(BR("bltu", -1, 0), 0); T(BR("bltu", 3, 3), 0);
    T(BR("bgeu", -1, 0), 1); T(BR("bgeu", 3, 3), 1);  T(BR("bgeu", 0, -1), 0);
    /* backward branch: a counted loop */
    u64 n;
    __asm__ volatile("li %0, 0\n\tli t0, 10\n1: addi %0, %0, 1\n\taddi t0, t0, -1\n\tbnez t0, 1b"
                     : "=&r"(n) :: "t0");
    check_eq(n, 10, "backward bnez loop runs 10 times");
}

static void jumps(void)
{
    u64 link, expect, where;
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %1, 1f\n\tjal %0, 2f\n1: nop\n2:\n.option pop"
                     : "=&r"(link), "=&r"(expect));
    check_eq(link, expect, "jal link = pc + 4");
    /* jalr with odd target: bit 0 is cleared (Unpriv 2.5) */
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %1, 1f\n\tlla %2, 2f\n\taddi %2, %2, 1\n\tjalr %0, 0(%2)\n1: nop\n2:\n.option pop"
                     : "=&r"(link), "=&r"(expect), "=&r"(where));
    check_eq(link, expect, "jalr link = pc + 4 (odd target)");
    /* jalr with negative offset */
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %1, 1f\n\tlla %2, 2f\n\taddi %2, %2, 16\n\tjalr %0, -16(%2)\n1: nop\n2:\n.option pop"
                     : "=&r"(link), "=&r"(expect), "=&r"(where));
    check_eq(link, expect, "jalr -16(rs1) link");
    /* rd == rs1: the target uses the old value */
    u64 reached = 0;
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %0, 2f\n\tlla %1, 1f\n\tjalr %0, 0(%0)\n1: j 3f\n2: li %2, 1\n3:\n.option pop"
                     : "=&r"(link), "=&r"(expect), "+r"(reached));
    check_eq(reached, 1, "jalr rd == rs1 jumps to old rs1");
    check_eq(link, expect, "jalr rd == rs1 link");
    /* jal x0 does not write */
    __asm__ volatile("li %0, 7\n\tj 1f\n\tli %0, 8\n1:" : "=&r"(link));
    check_eq(link, 7, "j skips the next instruction");
}

static void misc(void)
{
    __asm__ volatile("fence rw, rw\n\tfence iorw, iorw\n\tfence.tso\n\tfence" ::: "memory");
    check(1, "fence variants execute");
    u64 r;
    __asm__ volatile("nop\n\tmv %0, zero" : "=r"(r));
    check_eq(r, 0, "nop");
}

int main(void)
{
    rt_puts("# rv64i: base integer instructions\n");
    arith();
    shifts();
    upper();
    loads_stores();
    branches();
    jumps();
    misc();
    return tests_done();
}
