package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sv39 seen from a running hart (Priv 4.3, 4.4): translated loads, stores and fetches, the
 * page-fault causes and tvals, A/D updates, SUM, MPRV, and the TLB with SFENCE.VMA.
 */
class Sv39Test {
  private static final long ROOT = HartFixture.RAM_BASE + 0x40_0000;
  private static final long VA = 0x4000_0000L;
  private static final long FRAME_A = HartFixture.DATA;
  private static final long FRAME_B = HartFixture.DATA + 0x1000;
  private static final long FLAG = HartFixture.DATA + 0x2000;
  private static final long S_CODE = HartFixture.CODE + 0x800;
  private static final long V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;

  private final HartFixture f = new HartFixture();
  private long nextTable = ROOT + 0x1000;

  @AfterEach
  void close() {
    f.close();
  }

  /** Maps va's page at level (0 = 4K, 1 = 2M, 2 = 1G) to pa; returns the PTE's address. */
  private long map(long va, long pa, int level, long flags) {
    long table = ROOT;
    for (int l = 2; l > level; l--) {
      long entry = table + ((va >>> (12 + 9 * l)) & 0x1FF) * 8;
      long pte = f.load64(entry);
      if ((pte & V) == 0) {
        pte = (nextTable >>> 12) << 10 | V;
        nextTable += 0x1000;
        f.store64(entry, pte);
      }
      table = (pte >>> 10) << 12;
    }
    long entry = table + ((va >>> (12 + 9 * level)) & 0x1FF) * 8;
    f.store64(entry, (pa >>> 12) << 10 | flags | V);
    return entry;
  }

  /** M-mode setup: code identity-mapped by a global 2 MiB page, satp = Sv39 (ASID 1), enter priv. */
  private Asm setup(int priv, long sstatusBits) {
    map(HartFixture.RAM_BASE, HartFixture.RAM_BASE, 1, R | W | X | G | (priv == Privilege.U ? U : 0));
    Asm a = f.program();
    a.li(T0, 8L << 60 | 1L << 44 | ROOT >>> 12).csrw(SATP, T0);
    if (sstatusBits != 0) {
      a.li(T0, sstatusBits).csrs(ZERO, MSTATUS, T0);
    }
    a.enterMode(priv, S_CODE);
    f.place(a);
    return new Asm(S_CODE);
  }

  private void go(Asm body) {
    f.place(body);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
  }

  @Test
  void translatedLoadAndStoreSetAccessedAndDirty() {
    long pte = map(VA, FRAME_A, 0, R | W);
    f.store64(FRAME_A + 8, 1234);
    Asm s = setup(Privilege.S, 0);
    s.li(S0, VA).ld(A0, S0, 8).csrr(A2, SATP).halt();
    go(s);
    assertEquals(Privilege.SUPERVISOR, f.hart.privilege());
    assertEquals(1234, f.hart.x(A0));
    assertEquals(A, f.load64(pte) & (A | D), "a load sets A only");

    s = setup(Privilege.S, 0);
    s.li(S0, VA).li(A1, 77).sd(A1, S0, 16).halt();
    go(s);
    assertEquals(77, f.load64(FRAME_A + 16));
    assertEquals(A | D, f.load64(pte) & (A | D));
  }

  @Test
  void pageFaultsCarryTheVirtualAddress() {
    map(VA, FRAME_A, 0, R); // read-only
    Asm s = setup(Privilege.S, 0);
    s.li(S0, VA + 0x1000).ld(A0, S0, 0x10);
    go(s);
    f.assertTrap(Cause.LOAD_PAGE_FAULT, VA + 0x1010);

    s = setup(Privilege.S, 0);
    s.li(S0, VA).sd(A0, S0, 0x18);
    go(s);
    f.assertTrap(Cause.STORE_PAGE_FAULT, VA + 0x18);

    s = setup(Privilege.S, 0);
    s.li(S0, VA + 4).jalr(ZERO, S0, 0); // the page is not executable
    go(s);
    f.assertTrap(Cause.INSTRUCTION_PAGE_FAULT, VA + 4);

    s = setup(Privilege.S, 0);
    s.li(S0, 0x0000_0080_0000_0000L).ld(A0, S0, 0); // not canonical
    go(s);
    f.assertTrap(Cause.LOAD_PAGE_FAULT, 0x0000_0080_0000_0000L);
  }

  @Test
  void pageFaultsCanBeDelegated() {
    map(VA, FRAME_A, 0, R);
    map(HartFixture.RAM_BASE, HartFixture.RAM_BASE, 1, R | W | X | G);
    f.place(new Asm(S_CODE).li(S0, VA).sw(A0, S0, 4));
    Asm m = f.program();
    m.li(T0, 1L << Cause.STORE_PAGE_FAULT).csrw(MEDELEG, T0);
    m.li(T0, 8L << 60 | 1L << 44 | ROOT >>> 12).csrw(SATP, T0);
    m.enterMode(Privilege.S, S_CODE);
    f.place(m);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    f.assertSupervisorTrap(Cause.STORE_PAGE_FAULT, VA + 4);
  }

  @Test
  void userPagesAndSum() {
    map(VA, FRAME_A, 0, R | W | U);
    Asm s = setup(Privilege.S, 0);
    s.li(S0, VA).ld(A0, S0, 0);
    go(s);
    f.assertTrap(Cause.LOAD_PAGE_FAULT, VA);

    s = setup(Privilege.S, 1L << 18); // SUM
    s.li(S0, VA).ld(A0, S0, 0).li(A1, 1).halt();
    go(s);
    assertEquals(1, f.hart.x(A1));

    map(VA + 0x1000, FRAME_B, 0, R | W); // supervisor page
    s = setup(Privilege.U, 0);
    s.li(S0, VA).li(S1, VA + 0x1000).ld(A0, S0, 0).ld(A0, S1, 0);
    go(s);
    f.assertTrap(Cause.LOAD_PAGE_FAULT, VA + 0x1000);
  }

  @Test
  void mprvTranslatesMachineModeDataAccesses() {
    map(VA, FRAME_A, 0, R | W);
    map(HartFixture.RAM_BASE, HartFixture.RAM_BASE, 1, R | W | X | G);
    f.store64(FRAME_A, 4321);
    Asm a = f.program();
    a.li(T0, 8L << 60 | ROOT >>> 12).csrw(SATP, T0);
    a.li(T0, 1L << 17 | 1L << 11).csrs(ZERO, MSTATUS, T0); // MPRV, MPP = S
    a.li(S0, VA).ld(A0, S0, 0); // translated although the hart is in M-mode
    a.li(T0, 1L << 17).csrrc(ZERO, MSTATUS, T0);
    a.li(A1, 1).halt(); // fetches were never translated
    f.run(a);
    assertEquals(4321, f.hart.x(A0));
    assertEquals(1, f.hart.x(A1));
    assertEquals(Privilege.MACHINE, f.hart.privilege());
  }

  /** S-mode body: a0 = [VA]; wait for FLAG; a1 = [VA]; fence; a2 = [VA]. */
  private void staleThenFenced(long globalBit, int fenceRs1, int fenceRs2, long setupAsid) {
    long pte = map(VA, FRAME_A, 0, R | W | globalBit);
    f.store64(FRAME_A, 1);
    f.store64(FRAME_B, 2);
    map(FLAG & ~0xFFFL, FLAG & ~0xFFFL, 0, R | W);
    Asm s = setup(Privilege.S, 0);
    s.li(S0, VA).li(S1, FLAG).li(T2, setupAsid);
    s.ld(A0, S0, 0);
    long wait = s.here();
    s.ld(T1, S1, 0).beq(T1, ZERO, (int) (wait - s.here()));
    s.ld(A1, S0, 0);
    s.sfenceVma(fenceRs1, fenceRs2);
    s.ld(A2, S0, 0).halt();
    f.place(s);
    f.hart.reset(HartFixture.CODE);
    f.hart.run(5_000);
    // remap VA to frame B behind the hart's back, then let it go on
    f.store64(pte, (FRAME_B >>> 12) << 10 | R | W | V | globalBit);
    f.store64(FLAG, 1);
    f.runMore();
  }

  @Test
  void tlbKeepsTheOldTranslationUntilSfenceByAddress() {
    staleThenFenced(0, S0, ZERO, 0);
    assertEquals(1, f.hart.x(A0));
    assertEquals(1, f.hart.x(A1), "stale until SFENCE.VMA");
    assertEquals(2, f.hart.x(A2));
  }

  @Test
  void sfenceByAsidFlushesThatAddressSpace() {
    staleThenFenced(0, ZERO, T2, 1);
    assertEquals(1, f.hart.x(A1));
    assertEquals(2, f.hart.x(A2));
  }

  @Test
  void sfenceByAsidKeepsGlobalMappings() {
    staleThenFenced(G, ZERO, T2, 1);
    assertEquals(1, f.hart.x(A1));
    assertEquals(1, f.hart.x(A2), "global entry survives an ASID fence");
  }

  @Test
  void sfenceByOtherAsidKeepsThisOne() {
    staleThenFenced(0, ZERO, T2, 7);
    assertEquals(1, f.hart.x(A2));
  }

  @Test
  void requestTlbFlushDropsTranslationsFromOutside() {
    long pte = map(VA, FRAME_A, 0, R | W);
    f.store64(FRAME_A, 1);
    f.store64(FRAME_B, 2);
    Asm s = setup(Privilege.S, 0);
    s.li(S0, VA).li(S1, FLAG).ld(A0, S0, 0);
    long wait = s.here();
    s.ld(T1, S1, 0).beq(T1, ZERO, (int) (wait - s.here()));
    s.ld(A1, S0, 0).halt();
    f.place(s);
    f.hart.reset(HartFixture.CODE);
    f.hart.run(5_000);
    f.store64(pte, (FRAME_B >>> 12) << 10 | R | W | V);
    f.hart.requestTlbFlush();
    f.store64(FLAG, 1);
    f.runMore();
    assertEquals(1, f.hart.x(A0));
    assertEquals(2, f.hart.x(A1), "the VMM's flush made the new PTE visible without SFENCE");
  }

  @Test
  void pageTableOutsideRamGivesAccessFaultsOfTheAccessType() {
    // the root points at physical 0x1000, where nothing is mapped: every walk's first read faults
    Asm a = f.program();
    a.li(T0, 8L << 60 | 0x1000 >>> 12).csrw(SATP, T0);
    a.li(T0, 1L << 17 | 1L << 11).csrs(ZERO, MSTATUS, T0); // MPRV with MPP = S: loads translate
    a.li(S0, VA).ld(A0, S0, 8);
    f.run(a);
    f.assertTrap(Cause.LOAD_ACCESS_FAULT, VA + 8);

    a = f.program();
    a.li(T0, 8L << 60 | 0x1000 >>> 12).csrw(SATP, T0);
    a.li(T0, 1L << 17 | 1L << 11).csrs(ZERO, MSTATUS, T0);
    a.li(S0, VA).sd(A0, S0, 16);
    f.run(a);
    f.assertTrap(Cause.STORE_ACCESS_FAULT, VA + 16);

    a = f.program();
    a.li(T0, 8L << 60 | 0x1000 >>> 12).csrw(SATP, T0);
    a.enterMode(Privilege.S, S_CODE); // the fetch at S_CODE walks and faults
    f.run(a);
    f.assertTrap(Cause.INSTRUCTION_ACCESS_FAULT, S_CODE);
  }

  @Test
  void gigapageMapping() {
    map(0xC000_0000L, HartFixture.RAM_BASE, 2, R | W);
    f.store64(HartFixture.DATA, 99);
    Asm s = setup(Privilege.S, 0);
    s.li(S0, 0xC000_0000L + (HartFixture.DATA - HartFixture.RAM_BASE)).ld(A0, S0, 0).halt();
    go(s);
    assertEquals(99, f.hart.x(A0));
  }
}
