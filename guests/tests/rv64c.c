/* RV64C compressed instructions (Unpriv spec ch. 16), written explicitly as
 * c.* mnemonics so the assembler cannot choose the 32-bit form, plus the
 * illegal/reserved 16-bit encodings that must raise illegal instruction. */
#include "rt.h"

#define T(expr, expected) check_eq((u64)(expr), (u64)(expected), "%s", #expr)

/* one-register form on a0 (CI/CB) */
#define C1(text, a) ({ register u64 _x __asm__("a0") = (u64)(a); \
    __asm__ volatile(".option push\n.option rvc\n" text "\n.option pop" : "+r"(_x)); _x; })
/* two-register form on a0, a1 (CA/CR) */
#define C2(insn, a, b) ({ register u64 _x __asm__("a0") = (u64)(a); register u64 _y __asm__("a1") = (u64)(b); \
    __asm__ volatile(".option push\n.option rvc\n" insn " a0, a1\n.option pop" : "+r"(_x) : "r"(_y)); _x; })

static void integer(void)
{
    T(C1("c.li a0, -32", 0), -32);
    T(C1("c.li a0, 31", 0), 31);
    T(C1("c.lui a0, 1", 0), 0x1000);
    T(C1("c.lui a0, 0xfffe0", 0), 0xfffffffffffe0000);   /* nzimm[17] sign-extends */
    T(C1("c.addi a0, -1", 0), -1);
    T(C1("c.addi a0, 31", 1), 32);
    T(C1("c.addiw a0, 1", 0x7fffffff), 0xffffffff80000000);
    T(C1("c.addiw a0, 0", 0x1ffffffff), -1);              /* sext.w */
    T(C1("c.slli a0, 63", 1), 0x8000000000000000);
    T(C1("c.slli a0, 32", 0xffffffff), 0xffffffff00000000);
    T(C1("c.srli a0, 63", 0x8000000000000000), 1);
    T(C1("c.srli a0, 1", -1), 0x7fffffffffffffff);
    T(C1("c.srai a0, 63", 0x8000000000000000), -1);
    T(C1("c.srai a0, 4", 0x8000000000000000), 0xf800000000000000);
    T(C1("c.andi a0, -2", -1), -2);
    T(C1("c.andi a0, 15", 0x1234), 4);
    T(C2("c.mv", 0, 0x1234567890), 0x1234567890);
    T(C2("c.add", 0x7fffffffffffffff, 1), 0x8000000000000000);
    T(C2("c.sub", 0, 1), -1);
    T(C2("c.xor", 0xff00, 0x0ff0), 0xf0f0);
    T(C2("c.or", 0xff00, 0x0ff0), 0xfff0);
    T(C2("c.and", 0xff00, 0x0ff0), 0x0f00);
    T(C2("c.addw", 0x7fffffff, 1), 0xffffffff80000000);
    T(C2("c.subw", 0x80000000, 1), 0x7fffffff);
    T(C2("c.subw", 0, 0x100000001), -1);
    u64 r;
    __asm__ volatile(".option push\n.option rvc\nc.nop\nc.li %0, 5\n.option pop" : "=r"(r));
    check_eq(r, 5, "c.nop then c.li");
}

static volatile u64 buffer[4];

/* CL/CS forms need x8-x15: bind a0 (value) and a1 (base) right at the asm */
#define CLOAD(text) ({ register u64 _v __asm__("a0"); \
    register u64 _b __asm__("a1") = (u64)(uintptr_t)buffer; \
    __asm__ volatile(".option push\n.option rvc\n" text "\n.option pop" : "=r"(_v) : "r"(_b) : "memory"); _v; })
#define CSTORE(text, value) do { register u64 _v __asm__("a0") = (value); \
    register u64 _b __asm__("a1") = (u64)(uintptr_t)buffer; \
    __asm__ volatile(".option push\n.option rvc\n" text "\n.option pop" :: "r"(_v), "r"(_b) : "memory"); } while (0)

static void memory(void)
{
    buffer[0] = 0x8000000180000002ULL;
    buffer[1] = 0;
    check_eq(CLOAD("c.lw a0, 4(a1)"), 0xffffffff80000001ULL, "c.lw sign-extends");
    check_eq(CLOAD("c.ld a0, 0(a1)"), 0x8000000180000002ULL, "c.ld");
    CSTORE("c.sd a0, 8(a1)", 0x1122334455667788ULL);
    check_eq(buffer[1], 0x1122334455667788ULL, "c.sd");
    CSTORE("c.sw a0, 12(a1)", 0xaabbccdd);
    check_eq(buffer[1], 0xaabbccdd55667788ULL, "c.sw");

    /* stack-pointer forms, c.addi16sp and c.addi4spn */
    u64 got_ld, got_lw, sp_before, sp_after, spn, spn_expected;
    __asm__ volatile(
        ".option push\n.option rvc\n"
        "mv %2, sp\n"
        "c.addi16sp sp, -64\n"
        "li t0, 0xfedcba9876543210\n"
        "c.sdsp t0, 16(sp)\n"
        "li t0, 0x80000000\n"
        "c.swsp t0, 8(sp)\n"
        "c.ldsp %0, 16(sp)\n"
        "c.lwsp %1, 8(sp)\n"
        "c.addi4spn a2, sp, 24\n"
        "mv %4, a2\n"
        "addi %5, sp, 24\n"
        "c.addi16sp sp, 64\n"
        "mv %3, sp\n"
        ".option pop"
        : "=&r"(got_ld), "=&r"(got_lw), "=&r"(sp_before), "=&r"(sp_after), "=&r"(spn), "=&r"(spn_expected)
        :: "t0", "a2", "memory");
    check_eq(got_ld, 0xfedcba9876543210ULL, "c.sdsp/c.ldsp");
    check_eq(got_lw, 0xffffffff80000000ULL, "c.swsp/c.lwsp sign-extends");
    check_eq(spn, spn_expected, "c.addi4spn = sp + 24");
    check_eq(sp_after, sp_before, "c.addi16sp -64 then +64 restores sp");
}

/* 1 if the compressed branch on a0 is taken, else 2 */
#define CBRANCH(op, value) ({ register u64 _z __asm__("a0") = (value); \
    __asm__ volatile(".option push\n.option rvc\nli t0, 1\n" op " a0, 1f\nli t0, 2\n1: mv a0, t0\n.option pop" \
                     : "+r"(_z) :: "t0"); _z; })

static void control(void)
{
    u64 r;
    __asm__ volatile(".option push\n.option rvc\nli %0, 1\nc.j 1f\nli %0, 2\n1:\n.option pop" : "=&r"(r));
    check_eq(r, 1, "c.j skips");
    check_eq(CBRANCH("c.beqz", 0), 1, "c.beqz taken on zero");
    check_eq(CBRANCH("c.beqz", 5), 2, "c.beqz not taken on non-zero");
    check_eq(CBRANCH("c.bnez", 5), 1, "c.bnez taken on non-zero");
    check_eq(CBRANCH("c.bnez", 0), 2, "c.bnez not taken on zero");

    u64 link, expect, reached = 0;
    __asm__ volatile(".option push\n.option rvc\n"
                     "lla t1, 2f\nlla %1, 1f\nc.jalr t1\n1: c.j 3f\n2: li %2, 1\nmv %0, ra\nc.jr ra\n3:\n.option pop"
                     : "=&r"(link), "=&r"(expect), "+r"(reached) :: "t1", "ra");
    check_eq(reached, 1, "c.jalr reached its target");
    check_eq(link, expect, "c.jalr link = pc + 2");
    u64 hops = 0;
    __asm__ volatile(".option push\n.option rvc\n"
                     "lla t1, 1f\nc.jr t1\nli %0, 99\n1: addi %0, %0, 1\n.option pop"
                     : "+r"(hops) :: "t1");
    check_eq(hops, 1, "c.jr jumps");
}

static void illegal(void)
{
    uintptr_t pc;
    /* Unpriv 16.1: the all-zero 16-bit pattern is defined illegal */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x0000" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0, pc, "0x0000");
    /* C.ADDI4SPN with nzuimm = 0 is reserved */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x0004" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0x0004, pc, "c.addi4spn nzuimm=0 (0x0004)");
    /* C.ADDI16SP with nzimm = 0 is reserved */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x6101" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0x6101, pc, "c.addi16sp nzimm=0 (0x6101)");
    /* C.LUI with nzimm = 0 is reserved */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x6281" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0x6281, pc, "c.lui x5, 0 (0x6281)");
    /* C.JR with rs1 = 0 is reserved */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x8002" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0x8002, pc, "c.jr x0 (0x8002)");
    /* C.LWSP / C.LDSP with rd = 0 are reserved */
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: .2byte 0x4002" : "=r"(pc) :: "memory");
    check_trap(CAUSE_ILLEGAL_INSTRUCTION, 0x4002, pc, "c.lwsp x0 (0x4002)");
    /* c.ebreak: breakpoint, epc = its address */
    trap_expect();
    __asm__ volatile(".option push\n.option rvc\nlla %0, 1f\n1: c.ebreak\n.option pop" : "=r"(pc) :: "memory");
    check_trap(CAUSE_BREAKPOINT, CHECK_ANY, pc, "c.ebreak");
    check(trap_rec.tval == 0 || trap_rec.tval == pc, "c.ebreak tval is 0 or pc (got 0x%lx)", trap_rec.tval);
}

int main(void)
{
    rt_puts("# rv64c: compressed instructions\n");
    integer();
    memory();
    control();
    illegal();
    return tests_done();
}
