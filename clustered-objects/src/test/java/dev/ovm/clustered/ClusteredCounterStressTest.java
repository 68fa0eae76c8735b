package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** N threads x M increments give exactly N x M, whatever the threads' core indices. */
class ClusteredCounterStressTest {
  private static final int INCREMENTS = 200_000;

  @Test
  void oneThreadPerCoreCountsExactly() throws InterruptedException {
    assertExactSum(CoreSet.of(4), new int[] {0, 1, 2, 3});
  }

  @Test
  void sharedIndicesAndOutsideThreadsCountExactly() throws InterruptedException {
    // two threads on core 0, two on core 1, two outside (-1), one beyond the set (outside too)
    assertExactSum(CoreSet.of(2), new int[] {0, 0, 1, 1, -1, -1, 5});
  }

  @Test
  void sumWhileCountingNeverExceedsTheTotalAndEndsExact() throws InterruptedException {
    CoreSet cores = CoreSet.of(2);
    ClusteredCounter counter = new ClusteredCounter(cores);
    List<Thread> threads = startIncrementers(counter, new int[] {0, 1}, new CountDownLatch(1), true);
    long last = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      long now = counter.sum();
      assertEquals(true, now >= last && now <= 2L * INCREMENTS, "monotone and bounded: " + now);
      last = now;
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(2L * INCREMENTS, counter.sum());
  }

  private static void assertExactSum(CoreSet cores, int[] indices) throws InterruptedException {
    ClusteredCounter counter = new ClusteredCounter(cores);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = startIncrementers(counter, indices, go, false);
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals((long) indices.length * INCREMENTS, counter.sum());
  }

  private static List<Thread> startIncrementers(
      ClusteredCounter counter, int[] indices, CountDownLatch go, boolean released)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int index : indices) {
      Runnable body = () -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < INCREMENTS; i++) {
          counter.increment();
        }
      };
      Thread thread = index < 0 ? new Thread(body) : new CoreThread(index, body, "inc-" + index);
      thread.start();
      threads.add(thread);
    }
    if (released) {
      go.countDown();
    }
    return threads;
  }
}
