package dev.ovm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.clustered.CoreSet;
import dev.ovm.clustered.CoreThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Physical CPUs touch the same untouched pages at once (each populating from its own frame pool)
 * while DMA writes and discards run: every page ends up with exactly one frame, the losers' frames
 * go back, and no frame is leaked.
 */
class P2mStressTest {
  private static final long BASE = 0x8000_0000L;
  private static final int PAGE = MachineMemory.FRAME_SIZE;
  private static final int PAGES = 64;

  @Test
  void racingFirstTouchesAgreeOnOneFramePerPage() throws Exception {
    try (MachineMemory machine = new MachineMemory(4L * PAGES * PAGE, CoreSet.of(3))) {
      for (int round = 0; round < 20; round++) {
        GuestRam ram = new GuestRam(BASE, (long) PAGES * PAGE, machine);
        int threads = 3;
        long[][] seen = new long[threads][PAGES];
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int cpu = t;
          all.add(new CoreThread(cpu, () -> {
            try {
              start.await();
              for (int page = 0; page < PAGES; page++) {
                int p = (page * (2 * cpu + 1) + cpu) % PAGES; // odd strides: every page, different orders
                seen[cpu][p] = ram.offsetOf(BASE + (long) p * PAGE, 8);
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          }, "cpu-" + cpu));
        }
        all.forEach(Thread::start);
        for (Thread thread : all) {
          thread.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        for (int page = 0; page < PAGES; page++) {
          assertTrue(seen[0][page] >= 0);
          assertEquals(seen[0][page], seen[1][page], "page " + page);
          assertEquals(seen[0][page], seen[2][page], "page " + page);
        }
        assertEquals(PAGES, ram.residentPages());
        assertEquals(PAGES, machine.allocator().usedFrames(), "a losing frame was not given back");
        ram.close();
        assertEquals(0, machine.allocator().usedFrames());
        machine.allocator().checkConsistent();
      }
    }
  }

  @Test
  void dmaAndDiscardsRacingLeaveNoFrameBehind() throws Exception {
    try (MachineMemory machine = new MachineMemory(2L * PAGES * PAGE, CoreSet.of(2))) {
      GuestRam ram = new GuestRam(BASE, (long) PAGES * PAGE, machine);
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      byte[] ones = new byte[3 * PAGE];
      java.util.Arrays.fill(ones, (byte) 1);
      List<Thread> all = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int cpu = t;
        all.add(new CoreThread(cpu, () -> {
          try {
            byte[] back = new byte[3 * PAGE];
            for (int i = 0; i < 2_000; i++) {
              long at = BASE + (long) ((i * 7 + cpu) % (PAGES - 3)) * PAGE;
              if (cpu == 0) {
                ram.write(at, ones, 0, ones.length);
              } else {
                ram.read(at, back, 0, back.length);
                for (byte b : back) {
                  if (b != 0 && b != 1) {
                    throw new AssertionError("read a byte nobody wrote: " + b);
                  }
                }
                ram.discard(at, PAGE);
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "cpu-" + cpu));
      }
      all.forEach(Thread::start);
      for (Thread thread : all) {
        thread.join();
      }
      assertTrue(failures.isEmpty(), () -> "failures: " + failures);
      assertEquals(ram.residentPages(), machine.allocator().usedFrames());
      ram.close();
      assertEquals(0, machine.allocator().usedFrames());
      machine.allocator().checkConsistent();
    }
  }
}
