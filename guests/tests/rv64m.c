/* RV64M multiply/divide (Unpriv spec ch. 13), including the W forms and the
 * division-by-zero and signed-overflow results of Unpriv 13.2 (table 13.1):
 * x/0 = all ones (DIV, DIVU) and remainder = dividend; -2^(L-1)/-1 = -2^(L-1)
 * with remainder 0; W forms operate on the low 32 bits and sign-extend.
 * Expected values were generated with exact integer arithmetic (Python). */
#include "rt.h"

#define R(op, a, b) ({ u64 _r; __asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((u64)(a)), "r"((u64)(b))); _r; })
#define T(expr, expected) check_eq((u64)(expr), (u64)(expected), "%s", #expr)

static void t_mul(void)
{
    T(R("mul", 0x0, 0x0), 0x0);
    T(R("mul", 0x1, 0x0), 0x0);
    T(R("mul", 0xfffffffffffffff9, 0x0), 0x0);
    T(R("mul", 0x7, 0x3), 0x15);
    T(R("mul", 0xfffffffffffffff9, 0x3), 0xffffffffffffffeb);
    T(R("mul", 0x7, 0xfffffffffffffffd), 0xffffffffffffffeb);
    T(R("mul", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x15);
    T(R("mul", 0x8000000000000000, 0xffffffffffffffff), 0x8000000000000000);
    T(R("mul", 0x8000000000000000, 0x1), 0x8000000000000000);
    T(R("mul", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("mul", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("mul", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("mul", 0x123456789abcdef0, 0xfffffffedcba9877), 0xcccccce04c8a2190);
    T(R("mul", 0xffffffff, 0xffffffff), 0xfffffffe00000001);
    T(R("mul", 0x80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mul", 0xffffffff80000000, 0xffffffffffffffff), 0x80000000);
    T(R("mul", 0x7fffffff, 0x2), 0xfffffffe);
    T(R("mul", 0x100000005, 0x100000002), 0x70000000a);
    T(R("mul", 0x100000005, 0x0), 0x0);
    T(R("mul", 0xfffffffe80000000, 0xffffffffffffffff), 0x180000000);
    T(R("mul", 0xffffffff80000000, 0xffffffffffffffff), 0x80000000);
    T(R("mul", 0x80000000, 0x80000000), 0x4000000000000000);
}

static void t_mulh(void)
{
    T(R("mulh", 0x0, 0x0), 0x0);
    T(R("mulh", 0x1, 0x0), 0x0);
    T(R("mulh", 0xfffffffffffffff9, 0x0), 0x0);
    T(R("mulh", 0x7, 0x3), 0x0);
    T(R("mulh", 0xfffffffffffffff9, 0x3), 0xffffffffffffffff);
    T(R("mulh", 0x7, 0xfffffffffffffffd), 0xffffffffffffffff);
    T(R("mulh", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x0);
    T(R("mulh", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("mulh", 0x8000000000000000, 0x1), 0xffffffffffffffff);
    T(R("mulh", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x3fffffffffffffff);
    T(R("mulh", 0xffffffffffffffff, 0xffffffffffffffff), 0x0);
    T(R("mulh", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("mulh", 0x123456789abcdef0, 0xfffffffedcba9877), 0xffffffffeb49923c);
    T(R("mulh", 0xffffffff, 0xffffffff), 0x0);
    T(R("mulh", 0x80000000, 0xffffffffffffffff), 0xffffffffffffffff);
    T(R("mulh", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("mulh", 0x7fffffff, 0x2), 0x0);
    T(R("mulh", 0x100000005, 0x100000002), 0x1);
    T(R("mulh", 0x100000005, 0x0), 0x0);
    T(R("mulh", 0xfffffffe80000000, 0xffffffffffffffff), 0x0);
    T(R("mulh", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("mulh", 0x80000000, 0x80000000), 0x0);
}

static void t_mulhsu(void)
{
    T(R("mulhsu", 0x0, 0x0), 0x0);
    T(R("mulhsu", 0x1, 0x0), 0x0);
    T(R("mulhsu", 0xfffffffffffffff9, 0x0), 0x0);
    T(R("mulhsu", 0x7, 0x3), 0x0);
    T(R("mulhsu", 0xfffffffffffffff9, 0x3), 0xffffffffffffffff);
    T(R("mulhsu", 0x7, 0xfffffffffffffffd), 0x6);
    T(R("mulhsu", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xfffffffffffffff9);
    T(R("mulhsu", 0x8000000000000000, 0xffffffffffffffff), 0x8000000000000000);
    T(R("mulhsu", 0x8000000000000000, 0x1), 0xffffffffffffffff);
    T(R("mulhsu", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x3fffffffffffffff);
    T(R("mulhsu", 0xffffffffffffffff, 0xffffffffffffffff), 0xffffffffffffffff);
    T(R("mulhsu", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("mulhsu", 0x123456789abcdef0, 0xfffffffedcba9877), 0x123456788606712c);
    T(R("mulhsu", 0xffffffff, 0xffffffff), 0x0);
    T(R("mulhsu", 0x80000000, 0xffffffffffffffff), 0x7fffffff);
    T(R("mulhsu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulhsu", 0x7fffffff, 0x2), 0x0);
    T(R("mulhsu", 0x100000005, 0x100000002), 0x1);
    T(R("mulhsu", 0x100000005, 0x0), 0x0);
    T(R("mulhsu", 0xfffffffe80000000, 0xffffffffffffffff), 0xfffffffe80000000);
    T(R("mulhsu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulhsu", 0x80000000, 0x80000000), 0x0);
}

static void t_mulhu(void)
{
    T(R("mulhu", 0x0, 0x0), 0x0);
    T(R("mulhu", 0x1, 0x0), 0x0);
    T(R("mulhu", 0xfffffffffffffff9, 0x0), 0x0);
    T(R("mulhu", 0x7, 0x3), 0x0);
    T(R("mulhu", 0xfffffffffffffff9, 0x3), 0x2);
    T(R("mulhu", 0x7, 0xfffffffffffffffd), 0x6);
    T(R("mulhu", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xfffffffffffffff6);
    T(R("mulhu", 0x8000000000000000, 0xffffffffffffffff), 0x7fffffffffffffff);
    T(R("mulhu", 0x8000000000000000, 0x1), 0x0);
    T(R("mulhu", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x3fffffffffffffff);
    T(R("mulhu", 0xffffffffffffffff, 0xffffffffffffffff), 0xfffffffffffffffe);
    T(R("mulhu", 0xffffffffffffffff, 0x1), 0x0);
    T(R("mulhu", 0x123456789abcdef0, 0xfffffffedcba9877), 0x123456788606712c);
    T(R("mulhu", 0xffffffff, 0xffffffff), 0x0);
    T(R("mulhu", 0x80000000, 0xffffffffffffffff), 0x7fffffff);
    T(R("mulhu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff7fffffff);
    T(R("mulhu", 0x7fffffff, 0x2), 0x0);
    T(R("mulhu", 0x100000005, 0x100000002), 0x1);
    T(R("mulhu", 0x100000005, 0x0), 0x0);
    T(R("mulhu", 0xfffffffe80000000, 0xffffffffffffffff), 0xfffffffe7fffffff);
    T(R("mulhu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff7fffffff);
    T(R("mulhu", 0x80000000, 0x80000000), 0x0);
}

static void t_mulw(void)
{
    T(R("mulw", 0x0, 0x0), 0x0);
    T(R("mulw", 0x1, 0x0), 0x0);
    T(R("mulw", 0xfffffffffffffff9, 0x0), 0x0);
    T(R("mulw", 0x7, 0x3), 0x15);
    T(R("mulw", 0xfffffffffffffff9, 0x3), 0xffffffffffffffeb);
    T(R("mulw", 0x7, 0xfffffffffffffffd), 0xffffffffffffffeb);
    T(R("mulw", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x15);
    T(R("mulw", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("mulw", 0x8000000000000000, 0x1), 0x0);
    T(R("mulw", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("mulw", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("mulw", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("mulw", 0x123456789abcdef0, 0xfffffffedcba9877), 0x4c8a2190);
    T(R("mulw", 0xffffffff, 0xffffffff), 0x1);
    T(R("mulw", 0x80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulw", 0x7fffffff, 0x2), 0xfffffffffffffffe);
    T(R("mulw", 0x100000005, 0x100000002), 0xa);
    T(R("mulw", 0x100000005, 0x0), 0x0);
    T(R("mulw", 0xfffffffe80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("mulw", 0x80000000, 0x80000000), 0x0);
}

static void t_div(void)
{
    T(R("div", 0x0, 0x0), 0xffffffffffffffff);
    T(R("div", 0x1, 0x0), 0xffffffffffffffff);
    T(R("div", 0xfffffffffffffff9, 0x0), 0xffffffffffffffff);
    T(R("div", 0x7, 0x3), 0x2);
    T(R("div", 0xfffffffffffffff9, 0x3), 0xfffffffffffffffe);
    T(R("div", 0x7, 0xfffffffffffffffd), 0xfffffffffffffffe);
    T(R("div", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x2);
    T(R("div", 0x8000000000000000, 0xffffffffffffffff), 0x8000000000000000);
    T(R("div", 0x8000000000000000, 0x1), 0x8000000000000000);
    T(R("div", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("div", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("div", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("div", 0x123456789abcdef0, 0xfffffffedcba9877), 0xfffffffff0000000);
    T(R("div", 0xffffffff, 0xffffffff), 0x1);
    T(R("div", 0x80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("div", 0xffffffff80000000, 0xffffffffffffffff), 0x80000000);
    T(R("div", 0x7fffffff, 0x2), 0x3fffffff);
    T(R("div", 0x100000005, 0x100000002), 0x1);
    T(R("div", 0x100000005, 0x0), 0xffffffffffffffff);
    T(R("div", 0xfffffffe80000000, 0xffffffffffffffff), 0x180000000);
    T(R("div", 0xffffffff80000000, 0xffffffffffffffff), 0x80000000);
    T(R("div", 0x80000000, 0x80000000), 0x1);
}

static void t_divu(void)
{
    T(R("divu", 0x0, 0x0), 0xffffffffffffffff);
    T(R("divu", 0x1, 0x0), 0xffffffffffffffff);
    T(R("divu", 0xfffffffffffffff9, 0x0), 0xffffffffffffffff);
    T(R("divu", 0x7, 0x3), 0x2);
    T(R("divu", 0xfffffffffffffff9, 0x3), 0x5555555555555553);
    T(R("divu", 0x7, 0xfffffffffffffffd), 0x0);
    T(R("divu", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x0);
    T(R("divu", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("divu", 0x8000000000000000, 0x1), 0x8000000000000000);
    T(R("divu", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("divu", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("divu", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("divu", 0x123456789abcdef0, 0xfffffffedcba9877), 0x0);
    T(R("divu", 0xffffffff, 0xffffffff), 0x1);
    T(R("divu", 0x80000000, 0xffffffffffffffff), 0x0);
    T(R("divu", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("divu", 0x7fffffff, 0x2), 0x3fffffff);
    T(R("divu", 0x100000005, 0x100000002), 0x1);
    T(R("divu", 0x100000005, 0x0), 0xffffffffffffffff);
    T(R("divu", 0xfffffffe80000000, 0xffffffffffffffff), 0x0);
    T(R("divu", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("divu", 0x80000000, 0x80000000), 0x1);
}

static void t_rem(void)
{
    T(R("rem", 0x0, 0x0), 0x0);
    T(R("rem", 0x1, 0x0), 0x1);
    T(R("rem", 0xfffffffffffffff9, 0x0), 0xfffffffffffffff9);
    T(R("rem", 0x7, 0x3), 0x1);
    T(R("rem", 0xfffffffffffffff9, 0x3), 0xffffffffffffffff);
    T(R("rem", 0x7, 0xfffffffffffffffd), 0x1);
    T(R("rem", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xffffffffffffffff);
    T(R("rem", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("rem", 0x8000000000000000, 0x1), 0x0);
    T(R("rem", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x0);
    T(R("rem", 0xffffffffffffffff, 0xffffffffffffffff), 0x0);
    T(R("rem", 0xffffffffffffffff, 0x1), 0x0);
    T(R("rem", 0x123456789abcdef0, 0xfffffffedcba9877), 0xabcdef0);
    T(R("rem", 0xffffffff, 0xffffffff), 0x0);
    T(R("rem", 0x80000000, 0xffffffffffffffff), 0x0);
    T(R("rem", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("rem", 0x7fffffff, 0x2), 0x1);
    T(R("rem", 0x100000005, 0x100000002), 0x3);
    T(R("rem", 0x100000005, 0x0), 0x100000005);
    T(R("rem", 0xfffffffe80000000, 0xffffffffffffffff), 0x0);
    T(R("rem", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("rem", 0x80000000, 0x80000000), 0x0);
}

static void t_remu(void)
{
    T(R("remu", 0x0, 0x0), 0x0);
    T(R("remu", 0x1, 0x0), 0x1);
    T(R("remu", 0xfffffffffffffff9, 0x0), 0xfffffffffffffff9);
    T(R("remu", 0x7, 0x3), 0x1);
    T(R("remu", 0xfffffffffffffff9, 0x3), 0x0);
    T(R("remu", 0x7, 0xfffffffffffffffd), 0x7);
    T(R("remu", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xfffffffffffffff9);
    T(R("remu", 0x8000000000000000, 0xffffffffffffffff), 0x8000000000000000);
    T(R("remu", 0x8000000000000000, 0x1), 0x0);
    T(R("remu", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x0);
    T(R("remu", 0xffffffffffffffff, 0xffffffffffffffff), 0x0);
    T(R("remu", 0xffffffffffffffff, 0x1), 0x0);
    T(R("remu", 0x123456789abcdef0, 0xfffffffedcba9877), 0x123456789abcdef0);
    T(R("remu", 0xffffffff, 0xffffffff), 0x0);
    T(R("remu", 0x80000000, 0xffffffffffffffff), 0x80000000);
    T(R("remu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remu", 0x7fffffff, 0x2), 0x1);
    T(R("remu", 0x100000005, 0x100000002), 0x3);
    T(R("remu", 0x100000005, 0x0), 0x100000005);
    T(R("remu", 0xfffffffe80000000, 0xffffffffffffffff), 0xfffffffe80000000);
    T(R("remu", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remu", 0x80000000, 0x80000000), 0x0);
}

static void t_divw(void)
{
    T(R("divw", 0x0, 0x0), 0xffffffffffffffff);
    T(R("divw", 0x1, 0x0), 0xffffffffffffffff);
    T(R("divw", 0xfffffffffffffff9, 0x0), 0xffffffffffffffff);
    T(R("divw", 0x7, 0x3), 0x2);
    T(R("divw", 0xfffffffffffffff9, 0x3), 0xfffffffffffffffe);
    T(R("divw", 0x7, 0xfffffffffffffffd), 0xfffffffffffffffe);
    T(R("divw", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x2);
    T(R("divw", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("divw", 0x8000000000000000, 0x1), 0x0);
    T(R("divw", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("divw", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("divw", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("divw", 0x123456789abcdef0, 0xfffffffedcba9877), 0x2);
    T(R("divw", 0xffffffff, 0xffffffff), 0x1);
    T(R("divw", 0x80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("divw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("divw", 0x7fffffff, 0x2), 0x3fffffff);
    T(R("divw", 0x100000005, 0x100000002), 0x2);
    T(R("divw", 0x100000005, 0x0), 0xffffffffffffffff);
    T(R("divw", 0xfffffffe80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("divw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("divw", 0x80000000, 0x80000000), 0x1);
}

static void t_divuw(void)
{
    T(R("divuw", 0x0, 0x0), 0xffffffffffffffff);
    T(R("divuw", 0x1, 0x0), 0xffffffffffffffff);
    T(R("divuw", 0xfffffffffffffff9, 0x0), 0xffffffffffffffff);
    T(R("divuw", 0x7, 0x3), 0x2);
    T(R("divuw", 0xfffffffffffffff9, 0x3), 0x55555553);
    T(R("divuw", 0x7, 0xfffffffffffffffd), 0x0);
    T(R("divuw", 0xfffffffffffffff9, 0xfffffffffffffffd), 0x0);
    T(R("divuw", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("divuw", 0x8000000000000000, 0x1), 0x0);
    T(R("divuw", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x1);
    T(R("divuw", 0xffffffffffffffff, 0xffffffffffffffff), 0x1);
    T(R("divuw", 0xffffffffffffffff, 0x1), 0xffffffffffffffff);
    T(R("divuw", 0x123456789abcdef0, 0xfffffffedcba9877), 0x0);
    T(R("divuw", 0xffffffff, 0xffffffff), 0x1);
    T(R("divuw", 0x80000000, 0xffffffffffffffff), 0x0);
    T(R("divuw", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("divuw", 0x7fffffff, 0x2), 0x3fffffff);
    T(R("divuw", 0x100000005, 0x100000002), 0x2);
    T(R("divuw", 0x100000005, 0x0), 0xffffffffffffffff);
    T(R("divuw", 0xfffffffe80000000, 0xffffffffffffffff), 0x0);
    T(R("divuw", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("divuw", 0x80000000, 0x80000000), 0x1);
}

static void t_remw(void)
{
    T(R("remw", 0x0, 0x0), 0x0);
    T(R("remw", 0x1, 0x0), 0x1);
    T(R("remw", 0xfffffffffffffff9, 0x0), 0xfffffffffffffff9);
    T(R("remw", 0x7, 0x3), 0x1);
    T(R("remw", 0xfffffffffffffff9, 0x3), 0xffffffffffffffff);
    T(R("remw", 0x7, 0xfffffffffffffffd), 0x1);
    T(R("remw", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xffffffffffffffff);
    T(R("remw", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("remw", 0x8000000000000000, 0x1), 0x0);
    T(R("remw", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x0);
    T(R("remw", 0xffffffffffffffff, 0xffffffffffffffff), 0x0);
    T(R("remw", 0xffffffffffffffff, 0x1), 0x0);
    T(R("remw", 0x123456789abcdef0, 0xfffffffedcba9877), 0xffffffffe147ae02);
    T(R("remw", 0xffffffff, 0xffffffff), 0x0);
    T(R("remw", 0x80000000, 0xffffffffffffffff), 0x0);
    T(R("remw", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("remw", 0x7fffffff, 0x2), 0x1);
    T(R("remw", 0x100000005, 0x100000002), 0x1);
    T(R("remw", 0x100000005, 0x0), 0x5);
    T(R("remw", 0xfffffffe80000000, 0xffffffffffffffff), 0x0);
    T(R("remw", 0xffffffff80000000, 0xffffffffffffffff), 0x0);
    T(R("remw", 0x80000000, 0x80000000), 0x0);
}

static void t_remuw(void)
{
    T(R("remuw", 0x0, 0x0), 0x0);
    T(R("remuw", 0x1, 0x0), 0x1);
    T(R("remuw", 0xfffffffffffffff9, 0x0), 0xfffffffffffffff9);
    T(R("remuw", 0x7, 0x3), 0x1);
    T(R("remuw", 0xfffffffffffffff9, 0x3), 0x0);
    T(R("remuw", 0x7, 0xfffffffffffffffd), 0x7);
    T(R("remuw", 0xfffffffffffffff9, 0xfffffffffffffffd), 0xfffffffffffffff9);
    T(R("remuw", 0x8000000000000000, 0xffffffffffffffff), 0x0);
    T(R("remuw", 0x8000000000000000, 0x1), 0x0);
    T(R("remuw", 0x7fffffffffffffff, 0x7fffffffffffffff), 0x0);
    T(R("remuw", 0xffffffffffffffff, 0xffffffffffffffff), 0x0);
    T(R("remuw", 0xffffffffffffffff, 0x1), 0x0);
    T(R("remuw", 0x123456789abcdef0, 0xfffffffedcba9877), 0xffffffff9abcdef0);
    T(R("remuw", 0xffffffff, 0xffffffff), 0x0);
    T(R("remuw", 0x80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remuw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remuw", 0x7fffffff, 0x2), 0x1);
    T(R("remuw", 0x100000005, 0x100000002), 0x1);
    T(R("remuw", 0x100000005, 0x0), 0x5);
    T(R("remuw", 0xfffffffe80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remuw", 0xffffffff80000000, 0xffffffffffffffff), 0xffffffff80000000);
    T(R("remuw", 0x80000000, 0x80000000), 0x0);
}

/* rd aliases a source: the result must use the old values */
static void aliasing(void)
{
    u64 x = 6;
    __asm__ volatile("mul %0, %0, %0" : "+r"(x));
    check_eq(x, 36, "mul rd=rs1=rs2");
    x = 100;
    __asm__ volatile("divu %0, %0, %1" : "+r"(x) : "r"((u64)7));
    check_eq(x, 14, "divu rd=rs1");
}

int main(void)
{
    rt_puts("# rv64m: multiply and divide\n");
    t_mul();
    t_mulh();
    t_mulhsu();
    t_mulhu();
    t_mulw();
    t_div();
    t_divu();
    t_rem();
    t_remu();
    t_divw();
    t_divuw();
    t_remw();
    t_remuw();
    aliasing();
    return tests_done();
}
