package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Harts that differ only in their block-translation threshold, run in lockstep from the same state
 * for differential tests of the {@link BlockTranslator}: the first hart interprets everything
 * (threshold 0) and is the reference, the others translate. Everything written goes to every
 * hart's RAM; after each {@link #step} the guest-visible state of each translating hart must equal
 * the reference's: the x and f registers, pc, privilege, {@link Hart#retired()}, the run's exit,
 * the trap and counter CSRs and mstatus (FS included), and every {@linkplain #watch watched} range
 * of RAM.
 */
final class LockstepHarts implements AutoCloseable {
  /** CSRs compared after every step (the trap CSRs, the counters, and what a guest can write). */
  private static final int[] CSRS = {
    CsrAddress.MSTATUS, CsrAddress.MEPC, CsrAddress.MCAUSE, CsrAddress.MTVAL, CsrAddress.MSCRATCH,
    CsrAddress.MINSTRET, CsrAddress.MCYCLE, CsrAddress.SEPC, CsrAddress.SCAUSE, CsrAddress.STVAL,
    CsrAddress.SSCRATCH, CsrAddress.SATP
  };

  private final int[] thresholds;
  private final HartFixture[] fixtures;
  private final List<long[]> watched = new ArrayList<>();
  private int steps;
  private byte[] want = new byte[0];
  private byte[] got = new byte[0];

  /**
   * @param thresholds the translating harts' thresholds ({@link Hart#setTranslationThreshold}),
   *     each at least 1; a reference hart with threshold 0 comes first
   */
  LockstepHarts(int... thresholds) {
    this.thresholds = new int[thresholds.length + 1];
    System.arraycopy(thresholds, 0, this.thresholds, 1, thresholds.length);
    fixtures = new HartFixture[this.thresholds.length];
    for (int i = 0; i < fixtures.length; i++) {
      fixtures[i] = new HartFixture();
    }
  }

  /** How many harts, the reference included. */
  int size() {
    return fixtures.length;
  }

  Hart hart(int index) {
    return fixtures[index].hart;
  }

  Hart reference() {
    return hart(0);
  }

  int threshold(int index) {
    return thresholds[index];
  }

  /** Hart {@code index}'s translation statistics; fails for the reference, which has none. */
  TranslationStatistics statistics(int index) {
    return Objects.requireNonNull(hart(index).translationStatistics(), "a translating hart");
  }

  /** Writes {@code asm}'s code at its origin in every hart's RAM. */
  void place(Asm asm) {
    for (HartFixture f : fixtures) {
      f.place(asm);
    }
  }

  void write(long pa, byte[] bytes) {
    for (HartFixture f : fixtures) {
      f.ram.write(pa, bytes, 0, bytes.length);
    }
  }

  void store64(long pa, long value) {
    for (HartFixture f : fixtures) {
      f.store64(pa, value);
    }
  }

  long load64(int index, long pa) {
    return fixtures[index].load64(pa);
  }

  /** Compares {@code length} bytes of RAM at {@code pa} after every step (once if asked twice). */
  void watch(long pa, int length) {
    for (long[] range : watched) {
      if (range[0] == pa && range[1] == length) {
        return;
      }
    }
    watched.add(new long[] {pa, length});
  }

  /**
   * Resets every hart to {@code pc} with fresh translation state (the thresholds given at
   * construction, statistics at zero) and no registers set.
   */
  void reset(long pc) {
    for (int i = 0; i < fixtures.length; i++) {
      fixtures[i].hart.reset(pc);
      fixtures[i].hart.setTranslationThreshold(thresholds[i]);
    }
    steps = 0;
  }

  void setX(int reg, long value) {
    for (HartFixture f : fixtures) {
      f.hart.setX(reg, value);
    }
  }

  /** Runs every hart for at most {@code instructions}, then compares them; the reference's exit. */
  VcpuExit step(long instructions) {
    steps++;
    VcpuExit expected = fixtures[0].hart.run(instructions);
    for (int i = 1; i < fixtures.length; i++) {
      VcpuExit actual = fixtures[i].hart.run(instructions);
      assertEquals(expected, actual, () -> where(instructions) + ": the run's exit");
    }
    compare("step " + steps + " (run(" + instructions + "))");
    return expected;
  }

  /**
   * Steps {@code instructions} at a time until the reference's pc is {@code pc}; fails if that
   * takes more than {@code limit} instructions.
   */
  void runUntil(long pc, long instructions, long limit) {
    long start = reference().retired();
    while (reference().pc() != pc) {
      assertTrue(reference().retired() - start < limit, "pc 0x" + Long.toHexString(pc) + " reached");
      step(instructions);
    }
  }

  private String where(long instructions) {
    return "step " + steps + " (run(" + instructions + ")) from reference pc 0x"
        + Long.toHexString(reference().pc());
  }

  /** Asserts that every translating hart's guest-visible state equals the reference's. */
  void compare(String context) {
    Hart expected = reference();
    for (int i = 1; i < fixtures.length; i++) {
      Hart actual = fixtures[i].hart;
      String who = context + ", hart with threshold " + thresholds[i] + ", reference pc 0x"
          + Long.toHexString(expected.pc()) + ": ";
      assertEquals(expected.pc(), actual.pc(), () -> who + "pc");
      assertEquals(expected.retired(), actual.retired(), () -> who + "retired()");
      assertEquals(expected.privilege(), actual.privilege(), () -> who + "privilege");
      for (int reg = 0; reg < HartState.REGISTERS; reg++) {
        int r = reg;
        assertEquals(expected.x(reg), actual.x(reg), () -> who + "x" + r);
        assertEquals(expected.f(reg), actual.f(reg), () -> who + "f" + r);
      }
      for (int csr : CSRS) {
        assertEquals(expected.csr(csr), actual.csr(csr),
            () -> who + "CSR 0x" + Integer.toHexString(csr));
      }
      for (long[] range : watched) {
        compareMemory(fixtures[0], fixtures[i], range[0], (int) range[1], who);
      }
    }
  }

  private void compareMemory(HartFixture expected, HartFixture actual, long pa, int length,
      String who) {
    if (want.length < length) {
      want = new byte[length];
      got = new byte[length];
    }
    expected.ram.read(pa, want, 0, length);
    actual.ram.read(pa, got, 0, length);
    int at = Arrays.mismatch(want, 0, length, got, 0, length);
    if (at >= 0) {
      assertEquals(want[at], got[at], who + "RAM byte at 0x" + Long.toHexString(pa + at));
    }
  }

  @Override
  public void close() {
    for (HartFixture f : fixtures) {
      f.close();
    }
  }
}
