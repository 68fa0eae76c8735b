package dev.ovm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shootdown protocol with stand-in harts (the real hart's use is in cpu-virt's tests). */
class TlbShootdownTest {

  @Test
  void aHartThatDoesNotRunIsNotWaitedForButFlushesBeforeItRunsAgain() {
    TlbShootdown shootdown = new TlbShootdown();
    AtomicInteger flushes = new AtomicInteger();
    TlbShootdown.Participant hart = shootdown.register(flushes::incrementAndGet);
    assertEquals(0, hart.due());
    shootdown.shootDown(); // returns at once: the hart is outside guest code
    hart.enter();
    long due = hart.due();
    assertNotEquals(0, due, "the hart must flush before its first instruction");
    hart.flushed(due);
    assertEquals(0, hart.due());
    hart.exit();
    assertEquals(0, flushes.get(), "the synchronous flush is only for the hart's own thread");
  }

  @Test
  void aRunningHartIsWaitedForUntilItAcknowledges() throws Exception {
    TlbShootdown shootdown = new TlbShootdown();
    TlbShootdown.Participant hart = shootdown.register(() -> {});
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean shootdownDone = new AtomicBoolean();
    AtomicBoolean doneBeforeAck = new AtomicBoolean();
    Thread hartThread = new Thread(() -> {
      hart.enter();
      entered.countDown();
      long due;
      while ((due = hart.due()) == 0) {
        Thread.onSpinWait(); // "instructions" between check points
      }
      doneBeforeAck.set(shootdownDone.get());
      hart.flushed(due);
      hart.exit();
    });
    hartThread.start();
    entered.await();
    shootdown.shootDown();
    shootdownDone.set(true);
    hartThread.join();
    assertFalse(doneBeforeAck.get(), "shootDown returned before the running hart flushed");
  }

  @Test
  void aHartThatStopsRunningCountsAsFlushed() throws Exception {
    TlbShootdown shootdown = new TlbShootdown();
    TlbShootdown.Participant hart = shootdown.register(() -> {});
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Thread hartThread = new Thread(() -> {
      hart.enter();
      entered.countDown();
      try {
        leave.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      hart.exit(); // returns from run without reaching a check point
    });
    hartThread.start();
    entered.await();
    Thread waiter = new Thread(shootdown::shootDown);
    waiter.start();
    leave.countDown();
    waiter.join();
    hartThread.join();
    assertNotEquals(0, hart.due(), "it still flushes before it runs again");
  }

  @Test
  void aShootdownFromTheHartsOwnThreadFlushesItSynchronously() {
    TlbShootdown shootdown = new TlbShootdown();
    AtomicInteger flushes = new AtomicInteger();
    TlbShootdown.Participant hart = shootdown.register(flushes::incrementAndGet);
    hart.enter(); // e.g. a device the hart drives discards guest memory from inside an instruction
    shootdown.shootDown();
    assertEquals(1, flushes.get());
    assertEquals(0, hart.due());
    hart.exit();
    assertTrue(shootdown.generation() > 0);
  }
}
