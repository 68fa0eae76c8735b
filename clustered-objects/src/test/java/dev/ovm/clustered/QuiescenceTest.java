package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuiescenceTest {
  private static final Duration LONG = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(150);

  private final Quiescence quiescence = new Quiescence(CoreSet.of(2));

  @Test
  void generationsCountRequests() {
    assertEquals(0, quiescence.currentGeneration());
    assertEquals(1, quiescence.requestGeneration());
    assertEquals(2, quiescence.requestGeneration());
    assertEquals(2, quiescence.currentGeneration());
  }

  @Test
  void withNoActiveCoreTheBarrierIsOpen() throws InterruptedException {
    long target = quiescence.requestGeneration();
    assertTrue(quiescence.isQuiescent(target));
    assertTrue(quiescence.awaitQuiescent(target, Duration.ZERO));
  }

  @Test
  void waiterReturnsOnlyAfterEveryActiveCorePassedAPointAndThenPromptly() throws Exception {
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start();
        SteppedCore one = new SteppedCore(quiescence, 1).start()) {
      long target = quiescence.requestGeneration();
      AtomicLong returnedAt = new AtomicLong();
      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        try {
          boolean quiescent = quiescence.awaitQuiescent(target, LONG);
          returnedAt.set(System.nanoTime());
          return quiescent;
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(SHORT.toMillis());
      assertFalse(waiter.isDone(), "no core has passed a point yet");
      zero.passPoint();
      Thread.sleep(SHORT.toMillis());
      assertFalse(waiter.isDone(), "core 1 has not passed a point yet");
      assertFalse(quiescence.isQuiescent(target));
      long lastPoint = System.nanoTime();
      one.passPoint();
      assertTrue(waiter.get(5, TimeUnit.SECONDS));
      long latencyMillis = TimeUnit.NANOSECONDS.toMillis(returnedAt.get() - lastPoint);
      assertTrue(latencyMillis < 100, "waiter woke " + latencyMillis + " ms after the last point");
    }
  }

  @Test
  void aPointBeforeTheRequestDoesNotCount() throws InterruptedException {
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start()) {
      zero.passPoint();
      long target = quiescence.requestGeneration();
      assertFalse(quiescence.awaitQuiescent(target, SHORT));
      zero.passPoint();
      assertTrue(quiescence.awaitQuiescent(target, LONG));
    }
  }

  @Test
  void idleCoresCountAsQuiescentUntilTheyWake() throws InterruptedException {
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start()) {
      zero.goIdle();
      long first = quiescence.requestGeneration();
      assertTrue(quiescence.awaitQuiescent(first, SHORT), "an idle core is not waited for");
      zero.wakeUp();
      assertTrue(quiescence.isQuiescent(first), "waking after the request is a point after it");
      long second = quiescence.requestGeneration();
      assertFalse(quiescence.awaitQuiescent(second, SHORT), "an awake core is waited for");
      zero.goIdle();
      assertTrue(quiescence.awaitQuiescent(second, SHORT));
    }
  }

  @Test
  void goingIdleReleasesAWaitingWaiter() throws Exception {
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start()) {
      long target = quiescence.requestGeneration();
      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        try {
          return quiescence.awaitQuiescent(target, LONG);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(SHORT.toMillis());
      assertFalse(waiter.isDone());
      zero.goIdle();
      assertTrue(waiter.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void threadsOutsideTheSetAreNeitherWaitedForNorCounted() throws InterruptedException {
    quiescence.wakeUp(); // this test thread is not a physical CPU: no effect
    OnCore.run(5, quiescence::wakeUp); // a core beyond the set: no effect
    assertTrue(quiescence.awaitQuiescent(quiescence.requestGeneration(), Duration.ZERO));
  }

  @Test
  void aCoreAwaitingCountsItselfAsQuiescent() throws InterruptedException {
    assertTrue(OnCore.call(0, () -> {
      quiescence.wakeUp();
      return quiescence.awaitQuiescent(quiescence.requestGeneration(), SHORT);
    }));
  }

  @Test
  void anIdleCoreAwaitingStaysIdle() throws InterruptedException {
    OnCore.run(1, () -> {
      try {
        quiescence.wakeUp();
        quiescence.goIdle();
        assertTrue(quiescence.awaitQuiescent(quiescence.requestGeneration(), SHORT));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    // had the idle core been made active by its wait, core 1 would now block every barrier
    assertTrue(quiescence.awaitQuiescent(quiescence.requestGeneration(), SHORT));
  }

  @Test
  void unrequestedGenerationsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> quiescence.awaitQuiescent(1, SHORT));
  }

  @Test
  void waiterParksInsteadOfSpinning() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start()) {
      long target = quiescence.requestGeneration();
      AtomicLong cpuNanos = new AtomicLong();
      Thread waiter = new Thread(() -> {
        long before = threads.getCurrentThreadCpuTime();
        try {
          quiescence.awaitQuiescent(target, Duration.ofMillis(500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        cpuNanos.set(threads.getCurrentThreadCpuTime() - before);
      });
      waiter.start();
      waiter.join();
      assertTrue(cpuNanos.get() < TimeUnit.MILLISECONDS.toNanos(150),
          "waiter used " + cpuNanos.get() / 1_000_000 + " ms of CPU in 500 ms");
    }
  }

  @Test
  void interruptedWaiterThrows() throws Exception {
    try (SteppedCore zero = new SteppedCore(quiescence, 0).start()) {
      long target = quiescence.requestGeneration();
      CompletableFuture<Class<?>> outcome = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try {
          quiescence.awaitQuiescent(target, LONG);
          outcome.complete(Boolean.class);
        } catch (InterruptedException e) {
          outcome.complete(InterruptedException.class);
        }
      });
      waiter.start();
      Thread.sleep(50);
      waiter.interrupt();
      assertEquals(InterruptedException.class, outcome.get(5, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}
