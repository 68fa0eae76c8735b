package dev.ovm.cpu.sbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.cpu.Asm;
import dev.ovm.cpu.CsrAddress;
import dev.ovm.cpu.Hart;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SBI RFENCE (SBI spec v2.0 ch. 8): a remote SFENCE.VMA makes the named hart drop a stale
 * translation, and harts fencing each other from two threads neither deadlock nor lose a fence.
 */
class SbiRfenceTest {
  private static final long RFENCE = 0x52464E43L;
  private static final long ROOT = SbiFixture.RAM_BASE + 0x40_0000;
  private static final long VA = 0x4000_0000L;
  private static final long FRAME_A = SbiFixture.DATA + 0x1_0000;
  private static final long FRAME_B = SbiFixture.DATA + 0x2_0000;
  private static final long V = 1, R = 2, W = 4, X = 8, A = 64, D = 128;

  private final SbiFixture f = new SbiFixture(2);

  @AfterEach
  void close() {
    f.close();
  }

  /** RAM identity-mapped by a 1 GiB page; VA → {@code frame} by a 4 KiB page; returns the leaf's address. */
  private long pageTables(long frame) {
    f.ram.write(ROOT, new byte[0x3000], 0, 0x3000);
    f.bus.store(ROOT + 2 * 8, 8, (SbiFixture.RAM_BASE >>> 12) << 10 | V | R | W | X | A | D);
    f.bus.store(ROOT + 1 * 8, 8, ((ROOT + 0x1000) >>> 12) << 10 | V);
    f.bus.store(ROOT + 0x1000, 8, ((ROOT + 0x2000) >>> 12) << 10 | V);
    long leaf = ROOT + 0x2000;
    f.bus.store(leaf, 8, (frame >>> 12) << 10 | V | R | W | A | D);
    return leaf;
  }

  @Test
  void aRemoteSfenceVmaDropsTheTargetsStaleTranslation() {
    long leaf = pageTables(FRAME_A);
    f.bus.store(FRAME_A, 8, 111);
    f.bus.store(FRAME_B, 8, 222);
    long code = SbiFixture.DATA;
    Asm loop = new Asm(code).li(Asm.T0, 8L << 60 | ROOT >>> 12).csrw(CsrAddress.SATP, Asm.T0)
        .sfenceVma(0, 0).li(Asm.S0, VA);
    loop.ld(Asm.A1, Asm.S0, 0).jal(0, -4);
    f.place(loop);
    SbiFixture.jump(f.hart(1), code);
    f.run(1, 100);
    assertEquals(111, f.hart(1).x(Asm.A1));

    f.bus.store(leaf, 8, (FRAME_B >>> 12) << 10 | V | R | W | A | D);
    f.run(1, 100);
    assertEquals(111, f.hart(1).x(Asm.A1), "without a fence the hart still uses its TLB entry");

    assertArrayEquals(new long[] {0, 0}, f.call(0, RFENCE, 1, 0b10, 0, VA, 4096));
    f.run(1, 100);
    assertEquals(222, f.hart(1).x(Asm.A1), "after the remote fence it walks the new table");
  }

  @Test
  void badMasksAndHypervisorFencesAreRejected() {
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, RFENCE, 0, 0b100, 0)[0]);
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, RFENCE, 3, 1, 0)[0], "HFENCE.GVMA needs H");
    assertArrayEquals(new long[] {0, 0}, f.call(0, RFENCE, 0, 0, -1), "remote FENCE.I on all");
    assertArrayEquals(new long[] {0, 0}, f.call(0, RFENCE, 2, 1, 0, 0, -1, 7), "by ASID");
  }

  @Test
  void twoHartsFencingEachOtherFromTwoThreadsNeverDeadlock() {
    for (int id = 0; id < 2; id++) {
      long code = SbiFixture.DATA + 0x100L * id;
      Asm a = new Asm(code).li(17, RFENCE).li(16, 1).li(Asm.A0, id == 0 ? 0b10 : 0b01)
          .li(Asm.A1, 0).li(Asm.S1, 0);
      a.addi(Asm.S1, Asm.S1, 1).ecall().li(Asm.A0, id == 0 ? 0b10 : 0b01).li(Asm.A1, 0).jal(0, -16);
      f.place(a);
      SbiFixture.jump(f.hart(id), code);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Thread other = new Thread(() -> runFor(f.hart(1), failure));
      other.start();
      runFor(f.hart(0), failure);
      other.join();
    });
    assertNull(failure.get());
    for (int id = 0; id < 2; id++) {
      assertTrue(f.hart(id).x(Asm.S1) > 1000, "hart " + id + " fenced " + f.hart(id).x(Asm.S1) + " times");
    }
  }

  private static void runFor(Hart hart, AtomicReference<Throwable> failure) {
    try {
      for (int i = 0; i < 200; i++) {
        hart.run(100);
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }
}
