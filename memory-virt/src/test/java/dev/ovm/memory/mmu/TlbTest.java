package dev.ovm.memory.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The software TLB's lookups and SFENCE.VMA flushes (Priv spec 4.2.1). */
class TlbTest {
  private final Tlb tlb = new Tlb();
  private final int load = Tlb.set(Tlb.CONTEXT_SUPERVISOR, AccessType.LOAD);
  private final int store = Tlb.set(Tlb.CONTEXT_USER, AccessType.STORE);
  private final int physical = Tlb.set(Tlb.CONTEXT_PHYSICAL, AccessType.LOAD);

  @Test
  void lookupHitsOnlyTheFilledPage() {
    tlb.fill(load, 0x5000, 0x9000, 0, 1, false);
    assertEquals(0x9123, tlb.lookup(load, 0x5123));
    assertEquals(-1, tlb.lookup(load, 0x6123));
    assertEquals(-1, tlb.lookup(store, 0x5123));
    // same slot, different page
    assertEquals(-1, tlb.lookup(load, 0x5123 + (long) Tlb.ENTRIES * 4096));
  }

  @Test
  void flushByAddressDropsOnlyThatPage() {
    tlb.fill(load, 0x5000, 0x9000, 0, 1, false);
    tlb.fill(load, 0x6000, 0xA000, 0, 1, false);
    tlb.flush(false, 0x5FFF, true, 0);
    assertEquals(-1, tlb.lookup(load, 0x5000));
    assertEquals(0xA000, tlb.lookup(load, 0x6000));
  }

  @Test
  void flushByAddressDropsEveryPieceOfASuperpage() {
    tlb.fill(load, 0x20_0000, 0x40_0000, 1, 1, false);
    tlb.fill(load, 0x20_3000, 0x40_3000, 1, 1, false);
    tlb.fill(load, 0x40_0000, 0x80_0000, 0, 1, false);
    tlb.flush(false, 0x20_1000, true, 0);
    assertEquals(-1, tlb.lookup(load, 0x20_0000));
    assertEquals(-1, tlb.lookup(load, 0x20_3000));
    assertEquals(0x80_0000, tlb.lookup(load, 0x40_0000));
  }

  @Test
  void flushByAsidKeepsGlobalAndOtherAsids() {
    tlb.fill(load, 0x1000, 0x1000, 0, 1, false);
    tlb.fill(load, 0x2000, 0x2000, 0, 2, false);
    tlb.fill(load, 0x3000, 0x3000, 0, 1, true);
    tlb.flush(true, 0, false, 1);
    assertEquals(-1, tlb.lookup(load, 0x1000));
    assertEquals(0x2000, tlb.lookup(load, 0x2000));
    assertEquals(0x3000, tlb.lookup(load, 0x3000), "global pages survive an ASID flush");
  }

  @Test
  void flushByAddressAndAsid() {
    tlb.fill(load, 0x1000, 0x1000, 0, 1, false);
    tlb.fill(store, 0x1000, 0x1000, 0, 2, false);
    tlb.flush(false, 0x1000, false, 2);
    assertEquals(0x1000, tlb.lookup(load, 0x1000));
    assertEquals(-1, tlb.lookup(store, 0x1000));
  }

  @Test
  void fullFlushKeepsPhysicalEntries() {
    tlb.fill(physical, 0x8000_0000L, 0, 0, 0, true);
    tlb.fill(load, 0x1000, 0x1000, 0, 1, true);
    tlb.flush(true, 0, true, 0);
    assertEquals(-1, tlb.lookup(load, 0x1000));
    assertEquals(0, tlb.lookup(physical, 0x8000_0000L));
    tlb.flushNonGlobal();
    tlb.flushAll();
    assertEquals(-1, tlb.lookup(physical, 0x8000_0000L));
  }

  @Test
  void negativeVirtualAddressesAreDistinctPages() {
    tlb.fill(load, 0xFFFF_FFC0_0000_1000L, 0x7000, 0, 1, false);
    assertEquals(0x7008, tlb.lookup(load, 0xFFFF_FFC0_0000_1008L));
    assertEquals(-1, tlb.lookup(load, 0x0000_0040_0000_1008L));
  }

  @Test
  void badSetsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Tlb.set(Tlb.CONTEXTS, 0));
    assertThrows(IllegalArgumentException.class, () -> Tlb.set(0, 3));
  }
}
