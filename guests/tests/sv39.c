/* Sv39 virtual memory (Priv spec 4.3, 4.4): page tables built here map
 * 4 KiB, 2 MiB and 1 GiB pages; S and U accesses check the U bit and SUM,
 * MXR, hardware A/D updates, page faults with the right cause (12/13/15)
 * and stval for not-present, read-only, non-executable, reserved W-only,
 * misaligned superpage and non-canonical addresses, and SFENCE.VMA making a
 * changed PTE visible. Page faults are not delegated: M records them. */
#include "rt.h"

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PAGE  4096UL
#define MIB2  0x200000UL
#define GIB   0x40000000UL

static u64 root[512] __attribute__((aligned(4096)));
static u64 level1[512] __attribute__((aligned(4096)));
static u64 level0[512] __attribute__((aligned(4096)));
/* physical backing of the 4 KiB test pages */
static uint8_t frames[16][PAGE] __attribute__((aligned(4096)));

/* 4 KiB pages: VA 0x40000000 + index * 4 KiB, backed by frames[index] */
enum { PG_RW = 1, PG_RO, PG_NP, PG_NX, PG_XO, PG_U, PG_UCODE, PG_USTACK,
       PG_SWAP_A, PG_SWAP_B, PG_WO, PG_SONLY };
#define VA4K(i)      (0x40000000UL + (u64)(i) * PAGE)
#define VA_2M        0x40200000UL   /* 2 MiB page -> PA 0x80400000 */
#define VA_2M_MISAL  0x40400000UL   /* 2 MiB leaf with PPN[0] != 0 */
#define VA_1G        0x100000000UL  /* 1 GiB page -> PA 0x80000000 */
#define VA_1G_MISAL  0xc0000000UL   /* 1 GiB leaf with PPN[1] != 0 */
#define PA_2M        0x80400000UL

extern char u_code_start[], u_load[], u_load_done[], u_store[], u_store_done[], u_code_end[];
extern char x_code_start[], x_code_end[];

static u64 pte(u64 pa, u64 flags)
{
    return ((pa >> 12) << 10) | flags | PTE_V;
}

static u64 frame_pa(int i)
{
    return (u64)(uintptr_t)frames[i];
}

static void build_tables(void)
{
    const u64 rwx_ad = PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    root[0] = pte(0, PTE_R | PTE_W | PTE_A | PTE_D);          /* devices, identity */
    root[1] = pte((u64)(uintptr_t)level1, 0);                  /* VA 1-2 GiB: tables */
    root[2] = pte(0x80000000UL, rwx_ad);                       /* RAM, identity */
    root[3] = pte(0x80000000UL + MIB2, PTE_R | PTE_A);         /* misaligned 1 GiB */
    root[4] = pte(0x80000000UL, PTE_R | PTE_W | PTE_A | PTE_D); /* 1 GiB alias of RAM */
    level1[0] = pte((u64)(uintptr_t)level0, 0);
    level1[1] = pte(PA_2M, PTE_R | PTE_W | PTE_A | PTE_D);
    level1[2] = pte(PA_2M + PAGE, PTE_R | PTE_A);               /* misaligned 2 MiB */
    level0[PG_RW] = pte(frame_pa(PG_RW), PTE_R | PTE_W);       /* A = D = 0 */
    level0[PG_RO] = pte(frame_pa(PG_RO), PTE_R | PTE_A);
    level0[PG_NP] = 0;
    level0[PG_NX] = pte(frame_pa(PG_NX), PTE_R | PTE_W | PTE_A | PTE_D);
    level0[PG_XO] = pte(frame_pa(PG_XO), PTE_X | PTE_A);
    level0[PG_U] = pte(frame_pa(PG_U), PTE_U | PTE_R | PTE_W | PTE_A | PTE_D);
    level0[PG_UCODE] = pte(frame_pa(PG_UCODE), PTE_U | PTE_R | PTE_X | PTE_A);
    level0[PG_USTACK] = pte(frame_pa(PG_USTACK), PTE_U | PTE_R | PTE_W | PTE_A | PTE_D);
    level0[PG_SWAP_A] = pte(frame_pa(PG_SWAP_A), PTE_R | PTE_W | PTE_A | PTE_D);
    level0[PG_WO] = pte(frame_pa(PG_WO), PTE_W | PTE_A | PTE_D);   /* reserved */
    level0[PG_SONLY] = pte(frame_pa(PG_SONLY), PTE_R | PTE_W | PTE_A | PTE_D);

    memcpy(frames[PG_UCODE], u_code_start, (size_t)(u_code_end - u_code_start));
    memcpy(frames[PG_XO], x_code_start, (size_t)(x_code_end - x_code_start));
    *(volatile u64 *)frames[PG_SWAP_A] = 0xaaaa;
    *(volatile u64 *)frames[PG_SWAP_B] = 0xbbbb;
    *(volatile u64 *)frames[PG_U] = 0x1111;
    *(volatile u64 *)frames[PG_SONLY] = 0x2222;
    *(volatile u64 *)frames[PG_RO] = 0x3333;
    __asm__ volatile("fence.i" ::: "memory");
}

/* ---- accessors that may fault: the faulting instruction is skipped ---- */
static u64 load(u64 va)
{
    u64 v = 0xdead;
    __asm__ volatile("ld %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void store(u64 va, u64 v)
{
    __asm__ volatile("sd %0, 0(%1)" :: "r"(v), "r"(va) : "memory");
}

/* Jumps to va; a fetch fault resumes at the label after the jump. */
static void fetch(u64 va)
{
    __asm__ volatile("lla t0, 1f\n\tsd t0, %1\n\tjalr ra, 0(%0)\n1:"
                     :: "r"(va), "m"(trap_rec.resume) : "t0", "ra", "memory");
}

static void expect_load_fault(u64 va, const char *what)
{
    trap_expect();
    load(va);
    check_trap(CAUSE_LOAD_PAGE_FAULT, va, CHECK_ANY, what);
}

static void expect_store_fault(u64 va, const char *what)
{
    trap_expect();
    store(va, 1);
    check_trap(CAUSE_STORE_PAGE_FAULT, va, CHECK_ANY, what);
}

static void expect_fetch_fault(u64 va, const char *what)
{
    trap_expect();
    fetch(va);
    check_trap(CAUSE_FETCH_PAGE_FAULT, va, va, what);
}

/* ---- S-mode test groups (run with satp = Sv39) ---- */
static long s_sizes(long unused)
{
    (void)unused;
    check_eq(csr_read(satp) >> 60, 8, "satp.MODE = Sv39 read back in S");
    /* 1 GiB identity page: this code and data run through it */
    static volatile u64 marker = 0x1234abcd;
    check_eq(load((u64)(uintptr_t)&marker), 0x1234abcd, "1 GiB identity page (RAM)");
    /* 1 GiB alias at VA 4 GiB */
    u64 alias = VA_1G + ((u64)(uintptr_t)&marker - 0x80000000UL);
    check_eq(load(alias), 0x1234abcd, "1 GiB page at VA 0x100000000 aliases RAM");
    store(alias, 0x5678);
    check_eq(marker, 0x5678, "store through the 1 GiB alias");
    /* 2 MiB page */
    store(VA_2M + 0x1238, 0x2020202020202020ULL);
    check_eq(load(PA_2M + 0x1238), 0x2020202020202020ULL, "2 MiB page: VA 0x40201238 -> PA 0x80401238");
    store(PA_2M + MIB2 - 8, 0x77);
    check_eq(load(VA_2M + MIB2 - 8), 0x77, "2 MiB page: last doubleword");
    /* 4 KiB pages */
    check_eq(load(VA4K(PG_RO)), 0x3333, "4 KiB page read");
    check_eq(load(VA4K(PG_SWAP_A) + 0), 0xaaaa, "4 KiB page maps its frame");
    return 0;
}

static long s_faults(long unused)
{
    (void)unused;
    expect_load_fault(VA4K(PG_NP), "load from not-present page: cause 13");
    expect_store_fault(VA4K(PG_NP) + 8, "store to not-present page: cause 15");
    expect_fetch_fault(VA4K(PG_NP), "fetch from not-present page: cause 12");
    expect_store_fault(VA4K(PG_RO) + 16, "store to read-only page: cause 15");
    check_eq(load(VA4K(PG_RO)), 0x3333, "read-only page unchanged");
    expect_fetch_fault(VA4K(PG_NX), "fetch from non-executable page: cause 12");
    expect_load_fault(VA4K(PG_WO), "load from W-only (reserved) page: cause 13");
    expect_store_fault(VA4K(PG_WO), "store to W-only (reserved) page: cause 15");
    expect_load_fault(VA_2M_MISAL + 0x10, "misaligned 2 MiB superpage: cause 13");
    expect_load_fault(VA_1G_MISAL + 0x20, "misaligned 1 GiB superpage: cause 13");
    expect_load_fault(0x0000004000000000UL, "non-canonical VA 0x4000000000 (bit 38 set, 63:39 clear)");
    expect_store_fault(0x0000008000000000UL, "non-canonical VA 0x8000000000 (bit 39 set)");
    expect_fetch_fault(0xffff000080000000UL, "non-canonical fetch 0xffff000080000000");
    expect_load_fault(0xffffffc000000000UL, "canonical VA with invalid root PTE 256");
    return 0;
}

static long s_permissions(long unused)
{
    (void)unused;
    /* execute-only page: callable; loads fault unless MXR */
    long (*xfn)(void) = (long (*)(void))(uintptr_t)VA4K(PG_XO);
    check_eq((u64)xfn(), 42, "execute-only page runs");
    csr_clear(sstatus, MSTATUS_MXR);
    expect_load_fault(VA4K(PG_XO), "load from X-only page with MXR = 0");
    csr_set(sstatus, MSTATUS_MXR);
    trap_expect();
    u64 insn = load(VA4K(PG_XO));
    check_no_trap("load from X-only page with MXR = 1");
    check_eq(insn & 0xffffffff, *(u32 *)x_code_start, "MXR load returns the code");
    csr_clear(sstatus, MSTATUS_MXR);

    /* U pages from S: SUM gates loads/stores, never fetches */
    csr_clear(sstatus, MSTATUS_SUM);
    expect_load_fault(VA4K(PG_U), "S load from U page with SUM = 0");
    expect_store_fault(VA4K(PG_U), "S store to U page with SUM = 0");
    csr_set(sstatus, MSTATUS_SUM);
    trap_expect();
    u64 v = load(VA4K(PG_U));
    check_no_trap("S load from U page with SUM = 1");
    check_eq(v, 0x1111, "S load from U page with SUM = 1: value");
    store(VA4K(PG_U) + 8, 0x4444);
    check_eq(*(volatile u64 *)(frames[PG_U] + 8), 0x4444, "S store to U page with SUM = 1");
    expect_fetch_fault(VA4K(PG_UCODE), "S fetch from U page (even with SUM = 1)");
    csr_clear(sstatus, MSTATUS_SUM);
    return 0;
}

static long s_access_dirty(long unused)
{
    (void)unused;
    volatile u64 *entry = &level0[PG_RW];
    check_eq(*entry & (PTE_A | PTE_D), 0, "PTE starts with A = D = 0");
    /* Priv 4.3.1: hardware may set A/D or raise a page fault; both QEMU and
     * ovm update them, which this test expects. */
    trap_expect();
    u64 v = load(VA4K(PG_RW));
    check_no_trap("load from page with A = 0 (hardware A update)");
    (void)v;
    check_eq(*entry & (PTE_A | PTE_D), PTE_A, "load set A, not D");
    trap_expect();
    store(VA4K(PG_RW), 0x99);
    check_no_trap("store to page with D = 0 (hardware D update)");
    check_eq(*entry & (PTE_A | PTE_D), PTE_A | PTE_D, "store set D");
    check_eq(*(volatile u64 *)frames[PG_RW], 0x99, "store reached the frame");
    return 0;
}

static long s_sfence(long unused)
{
    (void)unused;
    u64 va = VA4K(PG_SWAP_A);
    check_eq(load(va), 0xaaaa, "before remap: frame A");
    level0[PG_SWAP_A] = pte(frame_pa(PG_SWAP_B), PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
    check_eq(load(va), 0xbbbb, "after PTE change + sfence.vma va: frame B");
    level0[PG_SWAP_A] = 0;
    __asm__ volatile("sfence.vma" ::: "memory");
    expect_load_fault(va, "after invalidating the PTE + sfence.vma: fault");
    level0[PG_SWAP_A] = pte(frame_pa(PG_SWAP_A), PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
    check_eq(load(va), 0xaaaa, "restored PTE visible after sfence.vma");
    return 0;
}

/* page faults delegated to S through medeleg: scause/stval/sepc in S */
static long s_delegated_fault(long unused)
{
    (void)unused;
    uintptr_t pc;
    u64 v = 0;
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: ld %1, 0(%2)" : "=&r"(pc), "+r"(v) : "r"(VA4K(PG_NP) + 0x18) : "memory");
    check_trap(CAUSE_LOAD_PAGE_FAULT, VA4K(PG_NP) + 0x18, pc, "delegated load page fault");
    check_eq(trap_rec.handled_in, TRAP_IN_S, "delegated load page fault handled in S");
    trap_expect();
    __asm__ volatile("lla %0, 1f\n1: sd %1, 0(%2)" : "=&r"(pc) : "r"(v), "r"(VA4K(PG_RO)) : "memory");
    check_trap(CAUSE_STORE_PAGE_FAULT, VA4K(PG_RO), pc, "delegated store page fault");
    check_eq(trap_rec.handled_in, TRAP_IN_S, "delegated store page fault handled in S");
    return 0;
}

/* ---- U mode: the probe code lives in a U page ---- */
static u64 u_entry(const char *sym)
{
    return VA4K(PG_UCODE) + (u64)(sym - u_code_start);
}

static void user_tests(void)
{
    void *ustack = (void *)(uintptr_t)(VA4K(PG_USTACK) + PAGE);
    trap_expect();
    long v = run_in_mode(PRV_U, (long (*)(long))(uintptr_t)u_entry(u_load), (long)VA4K(PG_U), ustack);
    check_no_trap("U load from U page");
    check_eq((u64)v, 0x1111, "U load from U page: value");

    trap_expect_resume(u_entry(u_load_done));
    run_in_mode(PRV_U, (long (*)(long))(uintptr_t)u_entry(u_load), (long)VA4K(PG_SONLY), ustack);
    check_trap(CAUSE_LOAD_PAGE_FAULT, VA4K(PG_SONLY), u_entry(u_load), "U load from S page");
    check_eq(trap_rec.prev_priv, PRV_U, "fault came from U");

    trap_expect_resume(u_entry(u_store_done));
    run_in_mode(PRV_U, (long (*)(long))(uintptr_t)u_entry(u_store), (long)VA4K(PG_SONLY), ustack);
    check_trap(CAUSE_STORE_PAGE_FAULT, VA4K(PG_SONLY), u_entry(u_store_done) - 4, "U store to S page");

    /* SUM does not let U reach S pages */
    csr_set(mstatus, MSTATUS_SUM);
    trap_expect_resume(u_entry(u_load_done));
    run_in_mode(PRV_U, (long (*)(long))(uintptr_t)u_entry(u_load), (long)VA4K(PG_SONLY), ustack);
    check_trap(CAUSE_LOAD_PAGE_FAULT, VA4K(PG_SONLY), CHECK_ANY, "U load from S page with SUM = 1");
    csr_clear(mstatus, MSTATUS_SUM);

    trap_expect();
    run_in_mode(PRV_U, (long (*)(long))(uintptr_t)u_entry(u_store), (long)VA4K(PG_U), ustack);
    check_no_trap("U store to U page");
    check_eq(*(volatile u64 *)frames[PG_U], 0x5a5a, "U store reached the frame");

    /* U fetch from a page without U: the run_in_mode target itself faults */
    trap_expect_resume(u_entry(u_load_done));
    run_in_mode(PRV_U, (long (*)(long))(uintptr_t)VA4K(PG_XO), 0, ustack);
    check_trap(CAUSE_FETCH_PAGE_FAULT, VA4K(PG_XO), VA4K(PG_XO), "U fetch from S-only X page");
}

int main(void)
{
    rt_puts("# sv39: page tables, permissions, A/D, page faults, sfence.vma\n");
    build_tables();
    u64 satp = SATP_MODE_SV39 | ((u64)(uintptr_t)root >> 12);
    csr_write(satp, satp);
    __asm__ volatile("sfence.vma" ::: "memory");
    check_eq(csr_read(satp), satp, "satp = Sv39 | root PPN");
    run_in_mode(PRV_S, s_sizes, 0, LOWER_STACK);
    run_in_mode(PRV_S, s_faults, 0, LOWER_STACK);
    run_in_mode(PRV_S, s_permissions, 0, LOWER_STACK);
    run_in_mode(PRV_S, s_access_dirty, 0, LOWER_STACK);
    run_in_mode(PRV_S, s_sfence, 0, LOWER_STACK);
    csr_write(stvec, (uintptr_t)trap_entry_s);
    csr_write(medeleg, (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT));
    run_in_mode(PRV_S, s_delegated_fault, 0, LOWER_STACK);
    csr_write(medeleg, 0);
    user_tests();
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    return tests_done();
}
