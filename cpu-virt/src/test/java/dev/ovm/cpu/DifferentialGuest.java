package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.T0;
import static dev.ovm.cpu.Asm.ZERO;

/**
 * The guest world of the differential translation tests ({@link LockstepHarts}): where code and
 * data go, an M-mode trap handler that skips the instruction that trapped and returns, and an
 * optional Sv39 address space for S-mode in which code is read-execute only.
 *
 * <p>Layout (physical, in the 8 MiB of {@link HartFixture}): a prologue at {@link #PROLOGUE};
 * generated code in {@link #MAIN} up to {@link #MAIN_END}; at {@link #END} a WFI, where the hart
 * stops (no interrupt is enabled, so {@code run} returns {@code VcpuExit.WFI} from then on);
 * the handler at {@link #HANDLER}; data in {@link #DATA}; the last {@link #RAM_TAIL} bytes of RAM
 * for accesses that run off its end; page tables at {@link #ROOT}.
 *
 * <p>In S-mode (Priv 4.3, 4.4), code pages are mapped R|X and nothing else executable, the data
 * pages and the RAM tail R|W, all at their physical addresses; {@link #VA_RW} is a read-write page
 * backed by {@code DATA + 0x3000}, {@link #VA_RO} a read-only one backed by {@code DATA + 0x4000},
 * and the page after it is unmapped. mstatus.TVM is set, so S-mode cannot change satp (Priv
 * 3.1.6.5): whatever the code does, it cannot write to code, so a translated block can never be
 * stale. In M-mode those virtual addresses are bare physical addresses outside RAM: access faults.
 *
 * <p>The handler skips the trapping instruction (2 or 4 bytes, from its first parcel) and
 * returns with MRET, keeping every register but t5 and t6. A fault on fetch (a jump gone astray)
 * instead returns to {@link #END} in the program's privilege mode.
 */
final class DifferentialGuest {
  static final long RAM_BASE = HartFixture.RAM_BASE;
  static final long PROLOGUE = RAM_BASE;
  static final long MAIN = RAM_BASE + 0x1000;
  static final long MAIN_END = RAM_BASE + 0xE000;
  static final long END = RAM_BASE + 0xF000;
  static final long HANDLER = HartFixture.HALT + 0x100;
  static final long DATA = HartFixture.DATA;
  /** Bytes of data compared: the three data pages and the pages behind VA_RW and VA_RO. */
  static final int DATA_SIZE = 0x5000;
  static final long RAM_END = RAM_BASE + HartFixture.RAM_SIZE;
  static final int RAM_TAIL = 0x2000;
  static final long ROOT = RAM_BASE + 0x40_0000;
  static final int TABLES_SIZE = 0x8000;
  static final long VA_RW = 0x3FFF_F000L;
  static final long VA_RO = 0x4000_0000L;

  private static final long V = 1, R = 2, W = 4, X = 8;
  private static final long SATP_SV39 = 8L << 60;

  private final LockstepHarts harts;
  private final boolean supervisor;
  private long nextTable;

  /**
   * Sets up the harts' RAM for one program: clears code and page tables, fills data and the RAM
   * tail with {@code pattern}-derived bytes, places the handler and the end loop, and (for
   * {@code supervisor}) builds the page tables. Watches data, the tail and the page tables.
   */
  DifferentialGuest(LockstepHarts harts, boolean supervisor, long pattern) {
    this.harts = harts;
    this.supervisor = supervisor;
    harts.write(MAIN, new byte[(int) (END - MAIN)]);
    harts.write(ROOT, new byte[TABLES_SIZE]);
    harts.write(DATA, patterned(DATA_SIZE, pattern));
    harts.write(RAM_END - RAM_TAIL, patterned(RAM_TAIL, ~pattern));
    harts.place(handler());
    harts.place(new Asm(END).wfi().j(END));
    if (supervisor) {
      nextTable = ROOT + 0x1000;
      for (long page = MAIN; page <= END; page += 0x1000) {
        map(page, page, R | X);
      }
      for (long page = DATA; page < DATA + 0x3000; page += 0x1000) {
        map(page, page, R | W);
      }
      map(RAM_END - 0x2000, RAM_END - 0x2000, R | W);
      map(RAM_END - 0x1000, RAM_END - 0x1000, R | W);
      map(VA_RW, DATA + 0x3000, R | W);
      map(VA_RO, DATA + 0x4000, R);
    }
    harts.watch(DATA, DATA_SIZE);
    harts.watch(RAM_END - RAM_TAIL, RAM_TAIL);
    harts.watch(ROOT, TABLES_SIZE);
  }

  boolean supervisor() {
    return supervisor;
  }

  /**
   * The prologue at {@link #PROLOGUE}: mtvec = the handler, all counters readable below M, and in
   * S-mode satp = Sv39 and mstatus.TVM; then {@code entry} (in MAIN) in the program's mode.
   * Clobbers t0 only.
   */
  Asm prologue(long entry) {
    Asm a = new Asm(PROLOGUE);
    a.li(T0, HANDLER).csrw(CsrAddress.MTVEC, T0);
    a.li(T0, 7).csrw(CsrAddress.MCOUNTEREN, T0);
    if (!supervisor) {
      return a.j(entry);
    }
    a.li(T0, SATP_SV39 | ROOT >>> 12).csrw(CsrAddress.SATP, T0);
    a.li(T0, Mstatus.TVM).csrs(ZERO, CsrAddress.MSTATUS, T0);
    return a.enterMode(Privilege.S, entry);
  }

  /** Maps the 4 KiB page at {@code va} to {@code pa} in every hart's Sv39 tables. */
  private void map(long va, long pa, long flags) {
    long table = ROOT;
    for (int level = 2; level > 0; level--) {
      long entry = table + ((va >>> (12 + 9 * level)) & 0x1FF) * 8;
      long pte = harts.load64(0, entry);
      if ((pte & V) == 0) {
        pte = (nextTable >>> 12) << 10 | V;
        nextTable += 0x1000;
        if (nextTable > ROOT + TABLES_SIZE) {
          throw new IllegalStateException("page tables overflow their region");
        }
        harts.store64(entry, pte);
      }
      table = (pte >>> 10) << 12;
    }
    harts.store64(table + ((va >>> 12) & 0x1FF) * 8, (pa >>> 12) << 10 | flags | V);
  }

  private Asm handler() {
    int t5 = 30;
    int t6 = 31;
    Asm h = new Asm(HANDLER);
    h.csrr(t6, CsrAddress.MCAUSE);
    h.beq(t6, ZERO, 14 * 4); // instruction address misaligned
    h.addi(t5, ZERO, Cause.INSTRUCTION_ACCESS_FAULT).beq(t6, t5, 12 * 4);
    h.addi(t5, ZERO, Cause.INSTRUCTION_PAGE_FAULT).beq(t6, t5, 10 * 4);
    h.csrr(t6, CsrAddress.MEPC);
    h.load(5, t5, t6, 0); // lhu: the first parcel (M-mode, bare; code is identity-mapped)
    h.andi(t5, t5, 3).addi(t6, t6, 2).addi(t5, t5, -3);
    h.bne(t5, ZERO, 8);
    h.addi(t6, t6, 2); // a 32-bit instruction
    h.csrw(CsrAddress.MEPC, t6).mret();
    // a fetch fault: end the program, in the mode it ran in (mstatus.MPP, Priv 3.1.6.1)
    h.li(t6, END).csrw(CsrAddress.MEPC, t6);
    h.li(t6, 3L << 11).csrrc(ZERO, CsrAddress.MSTATUS, t6);
    h.li(t6, (long) (supervisor ? Privilege.S : Privilege.M) << 11)
        .csrrs(ZERO, CsrAddress.MSTATUS, t6);
    return h.mret();
  }

  private static byte[] patterned(int length, long seed) {
    byte[] bytes = new byte[length];
    long x = seed | 1;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      bytes[i] = (byte) x;
    }
    return bytes;
  }
}
