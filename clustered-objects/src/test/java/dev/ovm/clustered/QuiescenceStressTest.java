package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The use the barrier exists for, run hard: a writer replaces a shared object, waits for
 * quiescence and then retires the old one; cores that use the object between their quiescent
 * points must never see it retired. A barrier that returned early would be caught.
 */
class QuiescenceStressTest {
  private static final int CORES = 3; // more physical CPUs than the host's 2 cores
  private static final int SWAPS = 20_000;

  /** The shared state a swap replaces. */
  static final class Version {
    volatile boolean retired;
  }

  private volatile Version current = new Version();
  private volatile boolean running = true;
  private final AtomicInteger violations = new AtomicInteger();
  private final AtomicLong sections = new AtomicLong();
  private final CountDownLatch awake = new CountDownLatch(CORES);

  @Test
  void noCoreEverUsesARetiredVersion() throws InterruptedException {
    Quiescence quiescence = new Quiescence(CoreSet.of(CORES));
    List<Thread> cores = new ArrayList<>();
    for (int core = 0; core < CORES; core++) {
      cores.add(new CoreThread(core, () -> useLoop(quiescence), "reader-" + core));
    }
    cores.forEach(Thread::start);
    awake.await();
    try {
      for (int swap = 0; swap < SWAPS; swap++) {
        Version old = current;
        current = new Version();
        long target = quiescence.requestGeneration();
        assertTrue(quiescence.awaitQuiescent(target, Duration.ofSeconds(10)), "swap " + swap);
        old.retired = true;
      }
    } finally {
      running = false;
      for (Thread core : cores) {
        core.join();
      }
    }
    assertEquals(0, violations.get(), "uses of a retired version");
    assertTrue(sections.get() > SWAPS, "the cores did work: " + sections.get());
  }

  private void useLoop(Quiescence quiescence) {
    quiescence.wakeUp();
    awake.countDown();
    long iteration = 0;
    while (running) {
      Version version = current; // a section starts: a reference into shared state
      for (int i = 0; i < 50; i++) {
        if (version.retired) {
          violations.incrementAndGet();
        }
        if (i == 25 && iteration % 16 == 0) {
          Thread.yield(); // sometimes lose the host core in the middle of a section
        }
        Thread.onSpinWait();
      }
      sections.incrementAndGet();
      iteration++;
      if (iteration % 4096 == 0) {
        quiescence.goIdle(); // the reference is dropped before going idle
        Thread.yield();
        quiescence.wakeUp();
      } else {
        quiescence.quiescentPoint();
      }
    }
    quiescence.goIdle();
  }
}
