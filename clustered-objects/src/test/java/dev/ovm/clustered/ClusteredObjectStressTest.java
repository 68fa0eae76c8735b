package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** Racing first uses: many threads per core index and many outside threads miss at once. */
class ClusteredObjectStressTest {
  private static final int CORES = 4;
  private static final int THREADS_PER_SLOT = 4;
  private static final int ROUNDS = 100;

  @Test
  void racingFirstUseCreatesOneRepPerCore() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      raceOnce();
    }
  }

  private void raceOnce() throws Exception {
    CoreSet cores = CoreSet.of(CORES);
    AtomicIntegerArray misses = new AtomicIntegerArray(cores.slotCount());
    ClusteredObject<Object> object = new ClusteredObject<>(cores, core -> {
      misses.incrementAndGet(cores.slotOf(core));
      Thread.yield(); // widen the window in which others miss too
      return new Object();
    });
    int threads = cores.slotCount() * THREADS_PER_SLOT;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicReferenceArray<Object> seen = new AtomicReferenceArray<>(threads);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      int slot = t % cores.slotCount();
      Runnable body = () -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        seen.set(id, object.rep());
      };
      all.add(slot == cores.outsideSlot() ? new Thread(body) : new CoreThread(slot, body, "c" + slot));
    }
    all.forEach(Thread::start);
    for (Thread thread : all) {
      thread.join();
    }
    for (int slot = 0; slot < cores.slotCount(); slot++) {
      assertEquals(1, misses.get(slot), "misses of slot " + slot);
    }
    for (int t = 0; t < threads; t++) {
      int slot = t % cores.slotCount();
      assertSame(object.repOf(cores.coreOfSlot(slot)), seen.get(t), "thread " + t);
    }
    assertEquals(cores.slotCount(), object.reps().size());
  }
}
