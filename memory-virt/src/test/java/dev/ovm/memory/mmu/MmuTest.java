package dev.ovm.memory.mmu;

import static dev.ovm.memory.mmu.AccessType.FETCH;
import static dev.ovm.memory.mmu.AccessType.LOAD;
import static dev.ovm.memory.mmu.AccessType.STORE;
import static dev.ovm.memory.mmu.Tlb.CONTEXT_PHYSICAL;
import static dev.ovm.memory.mmu.Tlb.CONTEXT_SUPERVISOR;
import static dev.ovm.memory.mmu.Tlb.CONTEXT_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Sv39 walk (Priv spec 4.3.2, 4.4) and the TLB it fills. */
class MmuTest {
  private static final long RAM = 0x8000_0000L;
  private static final long FRAME = RAM + 0x10_0000;
  private final GuestRam ram = new GuestRam(RAM, 4L << 20);
  private final SystemBus bus = new SystemBus(ram);
  private final Mmu mmu = new Mmu(bus);
  private final PageTables tables = new PageTables(ram, RAM + 0x20_0000);

  MmuTest() {
    mmu.setSatp(tables.satp(1));
  }

  @AfterEach
  void close() {
    ram.close();
  }

  private long translate(int context, int access, long va) {
    return mmu.translate(context, access, va);
  }

  @Test
  void fourKilobytePage() {
    tables.map(0x4000_1000L, FRAME, 0, Pte.R | Pte.W);
    assertEquals(FRAME + 0x123, translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_1123L));
    assertEquals(FRAME + 0x8, translate(CONTEXT_SUPERVISOR, STORE, 0x4000_1008L));
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, FETCH, 0x4000_1000L), "not X");
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_2000L), "unmapped");
  }

  @Test
  void megapageAndGigapage() {
    tables.map(0x4020_0000L, RAM + 0x20_0000 * 1, 1, Pte.R);
    assertEquals(RAM + 0x20_0000 + 0x1_2345, translate(CONTEXT_SUPERVISOR, LOAD, 0x4021_2345L));
    tables.map(0xC000_0000L, RAM, 2, Pte.R | Pte.X);
    assertEquals(RAM + 0x12_3456, translate(CONTEXT_SUPERVISOR, FETCH, 0xC012_3456L));
  }

  @Test
  void misalignedSuperpagesFault() {
    tables.map(0x4020_0000L, RAM + 0x1000, 1, Pte.R); // ppn[0] != 0
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x4020_0000L));
    tables.map(0xC000_0000L, RAM + 0x20_0000, 2, Pte.R); // ppn[1] != 0
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0xC000_0000L));
  }

  @Test
  void accessedAndDirtyBitsAreSetByTheWalker() {
    long entry = tables.map(0x4000_1000L, FRAME, 0, Pte.R | Pte.W);
    translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_1000L);
    assertEquals(Pte.A, tables.read(entry) & (Pte.A | Pte.D));
    translate(CONTEXT_SUPERVISOR, STORE, 0x4000_1000L);
    assertEquals(Pte.A | Pte.D, tables.read(entry) & (Pte.A | Pte.D));
  }

  @Test
  void userBitAndSum() {
    tables.map(0x1000, FRAME, 0, Pte.R | Pte.W | Pte.X | Pte.U);
    tables.map(0x2000, FRAME, 0, Pte.R | Pte.W | Pte.X);
    assertEquals(FRAME, translate(CONTEXT_USER, LOAD, 0x1000));
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_USER, LOAD, 0x2000), "U-mode, no U bit");
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000), "SUM=0");
    mmu.setStatus(true, false);
    int context = mmu.contextFor(1);
    assertEquals(Tlb.CONTEXT_SUPERVISOR_SUM, context);
    assertEquals(FRAME, translate(context, LOAD, 0x1000), "SUM=1");
    assertEquals(FRAME, translate(context, STORE, 0x1000), "SUM=1");
    assertEquals(Mmu.PAGE_FAULT, translate(context, FETCH, 0x1000), "never execute U");
    assertEquals(FRAME, translate(context, LOAD, 0x2000), "S pages stay accessible");
  }

  @Test
  void mxrMakesExecutableReadable() {
    tables.map(0x1000, FRAME, 0, Pte.X);
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    mmu.setStatus(false, true);
    assertEquals(FRAME, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, STORE, 0x1000));
  }

  @Test
  void reservedEncodingsFault() {
    long entry = tables.map(0x1000, FRAME, 0, Pte.W); // W without R
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    tables.write(entry, (FRAME >>> 12) << 10 | Pte.V | Pte.R | 1L << 60); // reserved bit
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    tables.write(entry, (FRAME >>> 12) << 10 | Pte.R); // not valid
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    // a pointer at level 0
    tables.write(entry, (FRAME >>> 12) << 10 | Pte.V);
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
  }

  @Test
  void nonCanonicalAddressesFault() {
    tables.map(0, FRAME, 0, Pte.R);
    assertEquals(FRAME + 0x10, translate(CONTEXT_SUPERVISOR, LOAD, 0x10));
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 1L << 39 | 0x10));
    assertEquals(Mmu.PAGE_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x8000_0000_0000_0010L));
  }

  @Test
  void upperHalfAddresses() {
    long va = 0xFFFF_FFC0_0000_0000L; // canonical, bit 38 set: root index 256
    tables.map(va, RAM, 2, Pte.R);
    assertEquals(RAM + 0x40, translate(CONTEXT_SUPERVISOR, LOAD, va + 0x40));
  }

  @Test
  void pageTableOutsideRamIsAnAccessFault() {
    mmu.setSatp(8L << 60 | 0x1000 >>> 12); // root at physical 0x1000: nothing there
    assertEquals(Mmu.ACCESS_FAULT, translate(CONTEXT_SUPERVISOR, LOAD, 0x1000));
    assertEquals(Mmu.ACCESS_FAULT, translate(CONTEXT_SUPERVISOR, FETCH, 0x1000));
  }

  @Test
  void physicalContextIsIdentityAndCached() {
    assertEquals(RAM + 8, translate(CONTEXT_PHYSICAL, LOAD, RAM + 8));
    assertEquals(ram.offsetOf(RAM + 8, 8), mmu.tlb().lookup(Tlb.set(CONTEXT_PHYSICAL, LOAD), RAM + 8));
    assertEquals(0x1000, translate(CONTEXT_PHYSICAL, LOAD, 0x1000), "not RAM: no fill, still identity");
    assertEquals(-1, mmu.tlb().lookup(Tlb.set(CONTEXT_PHYSICAL, LOAD), 0x1000));
    assertEquals(Mmu.ACCESS_FAULT, translate(CONTEXT_PHYSICAL, LOAD, -8));
  }

  @Test
  void walksFillTheTlbForTheirAccessTypeOnly() {
    tables.map(0x4000_1000L, FRAME, 0, Pte.R | Pte.W);
    translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_1000L);
    Tlb tlb = mmu.tlb();
    assertEquals(ram.offsetOf(FRAME + 0x10, 8), tlb.lookup(Tlb.set(CONTEXT_SUPERVISOR, LOAD), 0x4000_1010L));
    assertEquals(-1, tlb.lookup(Tlb.set(CONTEXT_SUPERVISOR, STORE), 0x4000_1010L));
    assertEquals(-1, tlb.lookup(Tlb.set(CONTEXT_USER, LOAD), 0x4000_1010L));
  }

  @Test
  void statusAndSatpChangesFlush() {
    tables.map(0x4000_1000L, FRAME, 0, Pte.R);
    translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_1000L);
    int set = Tlb.set(CONTEXT_SUPERVISOR, LOAD);
    mmu.setStatus(true, false);
    assertEquals(ram.offsetOf(FRAME, 8), mmu.tlb().lookup(set, 0x4000_1000L), "SUM selects a context, no flush");
    mmu.setStatus(true, true);
    assertEquals(-1, mmu.tlb().lookup(set, 0x4000_1000L), "MXR change flushes");
    translate(CONTEXT_SUPERVISOR, LOAD, 0x4000_1000L);
    mmu.setSatp(tables.satp(2));
    assertEquals(-1, mmu.tlb().lookup(set, 0x4000_1000L), "new ASID flushes non-global");
  }
}
