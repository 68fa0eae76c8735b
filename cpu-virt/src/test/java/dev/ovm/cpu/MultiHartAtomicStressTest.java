package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ovm.vmm.VcpuExit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two harts on two host threads updating shared counters with AMOADD and with an LR/SC retry
 * loop: no update may be lost (Unpriv 14.2, 14.4).
 */
class MultiHartAtomicStressTest {
  private static final int ITERATIONS = 200_000;
  private static final long COUNTER_AMO = HartFixture.DATA;
  private static final long COUNTER_LRSC = HartFixture.DATA + 64;
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void concurrentIncrementsAreNotLost() throws InterruptedException {
    Asm a = f.asm();
    a.li(S0, COUNTER_AMO).li(S1, COUNTER_LRSC).li(A0, ITERATIONS).li(A1, 1);
    long loop = a.here();
    a.amo(0x00, 3, ZERO, S0, A1); // amoadd.d zero, a1, (s0)
    long retry = a.here();
    a.amo(0x02, 3, T0, S1, ZERO); // lr.d t0, (s1)
    a.addi(T0, T0, 1);
    a.amo(0x03, 3, T1, S1, T0); // sc.d t1, t0, (s1)
    a.bne(T1, ZERO, (int) (retry - a.here()));
    a.addi(A0, A0, -1);
    a.bne(A0, ZERO, (int) (loop - a.here()));
    a.halt();
    f.place(a);

    List<Hart> harts = List.of(f.hart, new Hart(1, f.bus, f.clock));
    List<Thread> threads = new ArrayList<>();
    for (Hart hart : harts) {
      hart.reset(HartFixture.CODE);
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 1000 && hart.retired() < 20L * ITERATIONS; i++) {
          VcpuExit exit = hart.run(100_000);
          if (exit != VcpuExit.QUANTUM) {
            throw new AssertionError(exit.toString());
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(2L * ITERATIONS, f.load64(COUNTER_AMO));
    assertEquals(2L * ITERATIONS, f.load64(COUNTER_LRSC));
  }
}
