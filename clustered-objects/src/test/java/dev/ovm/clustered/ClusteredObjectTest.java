package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClusteredObjectTest {
  /** A rep that remembers the core it was made for. */
  record Rep(int core) {}

  private final List<Integer> misses = new ArrayList<>();

  private ClusteredObject<Rep> newObject(int cores) {
    return new ClusteredObject<>(CoreSet.of(cores), core -> {
      synchronized (misses) {
        misses.add(core);
      }
      return new Rep(core);
    });
  }

  @Test
  void repsAreCreatedLazilyOnFirstUse() throws InterruptedException {
    ClusteredObject<Rep> object = newObject(4);
    assertTrue(object.reps().isEmpty());
    assertNull(object.repIfPresent(2));
    Rep rep = OnCore.call(2, object::rep);
    assertEquals(new Rep(2), rep);
    assertEquals(List.of(2), misses);
    assertSame(rep, object.repIfPresent(2));
    assertNull(object.repIfPresent(1));
  }

  @Test
  void repeatedUseReturnsTheSameRepAndMissesOnce() throws InterruptedException {
    ClusteredObject<Rep> object = newObject(2);
    Rep first = OnCore.call(1, object::rep);
    Rep second = OnCore.call(1, object::rep);
    assertSame(first, second);
    assertEquals(List.of(1), misses);
  }

  @Test
  void eachCoreGetsItsOwnRep() throws InterruptedException {
    ClusteredObject<Rep> object = newObject(2);
    Rep zero = OnCore.call(0, object::rep);
    Rep one = OnCore.call(1, object::rep);
    assertNotSame(zero, one);
    assertEquals(0, zero.core());
    assertEquals(1, one.core());
  }

  @Test
  void nonCoreThreadsShareTheOutsideRep() throws InterruptedException {
    ClusteredObject<Rep> object = newObject(2);
    Rep mine = object.rep();
    assertEquals(Cores.OUTSIDE, mine.core());
    AtomicReference<Rep> other = new AtomicReference<>();
    Thread plain = new Thread(() -> other.set(object.rep()));
    plain.start();
    plain.join();
    assertSame(mine, other.get());
    assertSame(mine, OnCore.call(7, object::rep), "a core beyond the set is outside");
    assertEquals(List.of(Cores.OUTSIDE), misses);
  }

  @Test
  void forEachVisitsExactlyTheCreatedRepsInSlotOrder() throws InterruptedException {
    ClusteredObject<Rep> object = newObject(4);
    OnCore.run(3, object::rep);
    object.rep();
    OnCore.run(1, object::rep);
    List<Integer> visited = new ArrayList<>();
    object.forEachRep((core, rep) -> {
      assertEquals(core, rep.core());
      visited.add(core);
    });
    assertEquals(List.of(1, 3, Cores.OUTSIDE), visited);
    assertEquals(List.of(new Rep(1), new Rep(3), new Rep(Cores.OUTSIDE)), object.reps());
  }

  @Test
  void repOfCreatesAnotherCoresRep() {
    ClusteredObject<Rep> object = newObject(4);
    Rep rep = object.repOf(2);
    assertEquals(2, rep.core());
    assertSame(rep, object.repOf(2));
    assertSame(object.repOf(Cores.OUTSIDE), object.repOf(99));
    assertEquals(List.of(2, Cores.OUTSIDE), misses);
  }

  @Test
  void failingMissHandlerInstallsNothingAndIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    ClusteredObject<Rep> object = new ClusteredObject<>(CoreSet.of(1), core -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("first miss fails");
      }
      return new Rep(core);
    });
    assertThrows(IllegalStateException.class, object::rep);
    assertTrue(object.reps().isEmpty());
    assertEquals(new Rep(Cores.OUTSIDE), object.rep());
    assertEquals(2, calls.get());
  }

  @Test
  void nullFromMissHandlerIsRefused() {
    @SuppressWarnings("nullness") // the test breaks the MissHandler contract on purpose
    ClusteredObject<Rep> object = new ClusteredObject<>(CoreSet.of(1), core -> null);
    assertThrows(NullPointerException.class, object::rep);
    assertTrue(object.reps().isEmpty());
  }

  @Test
  void missHandlerUsingItsOwnObjectIsRefused() {
    AtomicReference<ClusteredObject<Rep>> self = new AtomicReference<>();
    self.set(new ClusteredObject<>(CoreSet.of(2), core -> {
      self.get().repOf(core == 0 ? 1 : 0);
      return new Rep(core);
    }));
    assertThrows(IllegalStateException.class, () -> self.get().repOf(0));
    assertTrue(self.get().reps().isEmpty());
  }
}
