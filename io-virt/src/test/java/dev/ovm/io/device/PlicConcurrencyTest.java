package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Device threads raise and drop their sources while harts claim and complete them: every request
 * is claimed exactly once, no source is ever in service in two contexts at once, nothing is left
 * pending and the output lines end low.
 */
class PlicConcurrencyTest {
  private static final int DEVICES = 8;
  private static final int ROUNDS = 5_000;
  private static final int CLAIMS = 50_000;

  @Test
  void everyRequestIsClaimedOnceUnderContention() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      RecordingLine meip = new RecordingLine();
      Plic plic = new Plic(List.of(meip), List.of(new RecordingLine()));
      long claimRegister = Plic.CONTEXT_BASE + Plic.CLAIM_OFFSET;
      for (int source = 1; source <= DEVICES; source++) {
        plic.write(4L * source, 4, 1 + source % 7);
      }
      plic.write(Plic.ENABLE_BASE, 4, ((1L << (DEVICES + 1)) - 1) & ~1L);
      // per device: how many of its requests the driver serviced
      int[] serviced = new int[DEVICES + 1];
      List<Thread> threads = new ArrayList<>();
      Object[] acks = new Object[DEVICES + 1];
      boolean[] acknowledged = new boolean[DEVICES + 1];
      for (int source = 1; source <= DEVICES; source++) {
        int irq = source;
        acks[irq] = new Object();
        Thread t = new Thread(() -> {
          for (int round = 0; round < ROUNDS; round++) {
            synchronized (acks[irq]) {
              acknowledged[irq] = false;
              plic.source(irq).set(true); // a device asserts until the driver services it
              while (!acknowledged[irq]) {
                try {
                  acks[irq].wait();
                } catch (InterruptedException e) {
                  return;
                }
              }
            }
          }
        }, "device-" + irq);
        threads.add(t);
        t.start();
      }
      int total = 0;
      while (total < DEVICES * ROUNDS) {
        int source = (int) plic.read(claimRegister, 4);
        if (source == 0) {
          Thread.onSpinWait();
          continue;
        }
        assertFalse(source > DEVICES, "claimed a source nobody raised: " + source);
        synchronized (acks[source]) {
          plic.source(source).set(false); // the driver services the device, which drops its line
          serviced[source]++;
          acknowledged[source] = true;
          acks[source].notifyAll();
        }
        plic.write(claimRegister, 4, source);
        total++;
      }
      for (Thread t : threads) {
        t.join();
      }
      for (int source = 1; source <= DEVICES; source++) {
        assertEquals(ROUNDS, serviced[source], "source " + source);
      }
      assertEquals(0, plic.read(claimRegister, 4));
      assertEquals(0, plic.read(Plic.PENDING_BASE, 4));
      assertFalse(meip.level());
    });
  }

  @Test
  void aClaimedSourceIsNeverClaimedAgainBeforeItsCompletion() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      RecordingLine meip = new RecordingLine();
      RecordingLine seip = new RecordingLine();
      Plic plic = new Plic(List.of(meip), List.of(seip));
      for (int source = 1; source <= DEVICES; source++) {
        plic.write(4L * source, 4, 1 + source % 7);
      }
      long enableAll = ((1L << (DEVICES + 1)) - 1) & ~1L;
      plic.write(Plic.ENABLE_BASE, 4, enableAll); // context 0: hart 0 M-mode
      plic.write(Plic.ENABLE_BASE + Plic.ENABLE_STRIDE, 4, enableAll); // context 1: S-mode
      Set<Integer> inService = ConcurrentHashMap.newKeySet();
      AtomicBoolean devicesRunning = new AtomicBoolean(true);
      AtomicInteger claims = new AtomicInteger();
      AtomicReference<String> violation = new AtomicReference<>();
      List<Thread> harts = new ArrayList<>();
      for (int context = 0; context < 2; context++) {
        long claimRegister = Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * context + Plic.CLAIM_OFFSET;
        Thread hart = new Thread(() -> {
          while (true) {
            boolean lastLook = !devicesRunning.get();
            int source = (int) plic.read(claimRegister, 4);
            if (source == 0) {
              if (lastLook) {
                break; // every line is low for good and nothing is pending
              }
              continue;
            }
            if (!inService.add(source)) {
              violation.compareAndSet(null, "source " + source + " claimed twice");
            }
            claims.incrementAndGet();
            for (int work = 0; work < 100; work++) {
              Thread.onSpinWait(); // the handler runs a while: a wider window for a double claim
            }
            inService.remove(source);
            plic.write(claimRegister, 4, source);
          }
        }, "hart-context-" + context);
        harts.add(hart);
        hart.start();
      }
      List<Thread> devices = new ArrayList<>();
      for (int source = 1; source <= DEVICES; source++) {
        int irq = source;
        Thread device = new Thread(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (claims.get() < CLAIMS && System.nanoTime() < deadline) {
            plic.source(irq).set(random.nextInt(3) != 0);
            for (int pause = random.nextInt(50); pause > 0; pause--) {
              Thread.onSpinWait();
            }
          }
          plic.source(irq).set(false);
        }, "device-" + irq);
        devices.add(device);
        device.start();
      }
      for (Thread device : devices) {
        device.join();
      }
      devicesRunning.set(false);
      for (Thread hart : harts) {
        hart.join();
      }
      assertEquals(null, violation.get());
      assertTrue(claims.get() >= CLAIMS, "only " + claims.get() + " claims in 10 s");
      assertEquals(0, plic.read(Plic.PENDING_BASE, 4));
      assertFalse(meip.level());
      assertFalse(seip.level());
    });
  }
}
