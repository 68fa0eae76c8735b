package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoresTest {
  @Test
  void coreThreadReportsItsIndex() throws InterruptedException {
    assertEquals(3, OnCore.call(3, Cores::currentIndex));
    assertTrue(OnCore.call(0, Cores::isCore));
  }

  @Test
  void coreThreadReportsItsVmmIndexBesideItsPoolIndex() throws Exception {
    int[] seen = new int[2];
    CoreThread thread = new CoreThread(1, 5, () -> {
      seen[0] = Cores.currentIndex();
      seen[1] = Cores.currentVmmIndex();
    }, "pool-cpu-1-vmm-cpu-5");
    thread.start();
    thread.join();
    assertEquals(1, seen[0]);
    assertEquals(5, seen[1]);
    assertEquals(3, OnCore.call(3, Cores::currentVmmIndex), "one index: both are the same");
    assertThrows(IllegalArgumentException.class, () -> new CoreThread(0, -1, () -> {}, "bad"));
  }

  @Test
  void otherThreadsAreOutside() {
    assertEquals(Cores.OUTSIDE, Cores.currentVmmIndex());
    assertEquals(Cores.OUTSIDE, Cores.currentIndex());
    assertFalse(Cores.isCore());
  }

  @Test
  void negativeIndexIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CoreThread(-1, () -> {}, "bad"));
  }

  @Test
  void slotsMapCoresAndOutside() {
    CoreSet cores = CoreSet.of(4);
    assertEquals(5, cores.slotCount());
    assertEquals(4, cores.outsideSlot());
    assertEquals(2, cores.slotOf(2));
    assertEquals(4, cores.slotOf(Cores.OUTSIDE));
    assertEquals(4, cores.slotOf(4), "an index beyond the set uses the outside slot");
    assertEquals(4, cores.slotOf(Integer.MAX_VALUE));
    assertEquals(Cores.OUTSIDE, cores.coreOfSlot(4));
    assertEquals(3, cores.coreOfSlot(3));
    assertTrue(cores.contains(0));
    assertFalse(cores.contains(4));
    assertFalse(cores.contains(-1));
  }

  @Test
  void sizeIsConfigurableWithHostDefault() {
    assertEquals(Runtime.getRuntime().availableProcessors(), CoreSet.ofHost().size());
    assertEquals(16, CoreSet.of(16).size());
    assertThrows(IllegalArgumentException.class, () -> CoreSet.of(0));
    assertThrows(IllegalArgumentException.class, () -> CoreSet.of(Integer.MAX_VALUE));
  }

  @Test
  void newThreadChecksTheIndex() {
    CoreSet cores = CoreSet.of(2);
    assertEquals(1, cores.newThread(1, () -> {}, "cpu1").coreIndex());
    assertThrows(IllegalArgumentException.class, () -> cores.newThread(2, () -> {}, "cpu2"));
  }
}
