package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusteredCounterTest {
  @Test
  void startsAtZeroWithNoCells() {
    ClusteredCounter counter = new ClusteredCounter(CoreSet.of(2));
    assertEquals(0, counter.sum());
    assertEquals(0, counter.cellCount());
  }

  @Test
  void addsGoToTheCallersCellAndSumSeesAll() throws InterruptedException {
    ClusteredCounter counter = new ClusteredCounter(CoreSet.of(4));
    OnCore.run(1, () -> {
      counter.increment();
      counter.add(10);
    });
    OnCore.run(3, () -> counter.add(-4));
    counter.add(100);
    assertEquals(11, counter.valueOf(1));
    assertEquals(-4, counter.valueOf(3));
    assertEquals(0, counter.valueOf(0));
    assertEquals(100, counter.valueOf(Cores.OUTSIDE));
    assertEquals(107, counter.sum());
    assertEquals(3, counter.cellCount(), "cores 1, 3 and the outside slot");
  }

  @Test
  void arithmeticWrapsAsLong() {
    ClusteredCounter counter = new ClusteredCounter(CoreSet.of(1));
    counter.add(Long.MAX_VALUE);
    counter.increment();
    assertEquals(Long.MIN_VALUE, counter.sum());
  }
}
