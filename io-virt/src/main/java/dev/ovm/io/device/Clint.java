package dev.ovm.io.device;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.Platform;
import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.device.MmioDevice;
import dev.ovm.vmm.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.index.qual.NonNegative;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * The core-local interruptor in the SiFive CLINT layout ("riscv,clint0"), which is also the
 * RISC-V ACLINT MSWI device at offset 0 followed by an MTIMER device at {@code 0x4000} (ACLINT
 * spec 1.0, chapters 2 and 3): {@code msip[h]} at {@code 4h} (bit 0 only, the other bits read
 * 0), {@code mtimecmp[h]} at {@code 0x4000 + 8h}, {@code mtime} at {@code 0xBFF8}.
 *
 * <p>Accesses: {@code msip} takes aligned 4-byte accesses; {@code mtimecmp} and {@code mtime}
 * take aligned 4- and 8-byte accesses, a 4-byte access reaching one half of the 64-bit register
 * (RV32 firmware writes them in halves). Other widths and misaligned accesses raise {@link
 * DeviceAccessFault}, as QEMU's ACLINT does; registers of absent harts read 0 and ignore writes.
 *
 * <p>Time: {@code mtime} is the {@link Clock} plus an offset; a write to {@code mtime} changes the
 * offset (QEMU allows writing {@code mtime}). {@code mtime} and {@code mtimecmp} compare as
 * unsigned 64-bit numbers; {@code MTIP} of hart {@code h} is {@code mtime >= mtimecmp[h]} (ACLINT
 * spec 3.2, Priv spec 3.2.1). {@code mtimecmp} resets to all ones, so no timer interrupt is
 * pending at reset. {@code MTIP} is brought up to date on every {@code mtimecmp} or {@code mtime}
 * write and on {@link #poll()}, which the VM run loop calls between quanta; {@link
 * #nextDeadline()} tells the loop when to poll next while every hart sleeps.
 *
 * <p>Thread safety and lock order: one lock per CLINT ({@code lock}); harts write another hart's
 * {@code msip} (an IPI) from their own threads. While holding it the CLINT reads the clock
 * (lock-free) and drives the harts' {@code MSIP}/{@code MTIP} lines, which must be leaves (take no
 * lock that is held while calling into the CLINT).
 */
public final class Clint implements MmioDevice, Platform {
  /** Offset of {@code msip[0]}. */
  public static final long MSIP_BASE = 0x0L;
  /** Offset of {@code mtimecmp[0]}. */
  public static final long MTIMECMP_BASE = 0x4000L;
  /** Offset of {@code mtime}. */
  public static final long MTIME = 0xBFF8L;
  /** Harts the register map has room for: {@code mtimecmp} ends where {@code mtime} begins. */
  public static final int MAX_HARTS = (int) ((MTIME - MTIMECMP_BASE) / 8);

  private static final long LOW_HALF = 0xFFFF_FFFFL;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    /** {@code msip[h]} bit 0. */
    final boolean[] msip;
    /** {@code mtimecmp[h]}. */
    final long[] mtimecmp;
    /** The level last driven on each hart's MTIP line. */
    final boolean[] mtip;
    /** {@code mtime - clock.now()}, wrapping. */
    long mtimeOffset;

    State(@NonNegative int harts) {
      msip = new boolean[harts];
      mtimecmp = new long[harts];
      Arrays.fill(mtimecmp, -1L);
      mtip = new boolean[harts];
    }
  }

  private final Clock clock;
  private final IrqLine[] msipLines;
  private final IrqLine[] mtipLines;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state;

  /**
   * Creates a CLINT for {@code msip.size()} harts with {@code mtime} equal to the clock.
   *
   * @param clock the VM's clock
   * @param msip per hart, the line driving {@code mip.MSIP}
   * @param mtip per hart, the line driving {@code mip.MTIP}
   * @throws IllegalArgumentException if the lists differ in length, are empty or longer than
   *     {@link #MAX_HARTS}
   */
  public Clint(Clock clock, List<IrqLine> msip, List<IrqLine> mtip) {
    if (msip.isEmpty() || msip.size() != mtip.size() || msip.size() > MAX_HARTS) {
      throw new IllegalArgumentException("bad CLINT hart count: " + msip.size() + "/" + mtip.size());
    }
    this.clock = clock;
    this.msipLines = msip.toArray(new IrqLine[0]);
    this.mtipLines = mtip.toArray(new IrqLine[0]);
    this.state = new State(msipLines.length);
  }

  @Override
  public String name() {
    return "clint";
  }

  @Override
  public long size() {
    return VirtMemoryMap.CLINT_SIZE;
  }

  @Override
  public long read(long offset, int width) {
    synchronized (lock) {
      if (offset >= 0 && offset < MTIMECMP_BASE) {
        checkAccess(offset, width, 4);
        int hart = (int) (offset / 4);
        return hart < state.msip.length && state.msip[hart] ? 1 : 0;
      }
      checkAccess(offset, width, 8);
      long register = offset & ~7L;
      long value = register == MTIME ? mtime() : mtimecmpAt(register);
      return width == 8 ? value : (value >> (8 * (offset & 4))) & LOW_HALF; // masked: >> is safe
    }
  }

  @Override
  public void write(long offset, int width, long value) {
    synchronized (lock) {
      if (offset >= 0 && offset < MTIMECMP_BASE) {
        checkAccess(offset, width, 4);
        int hart = (int) (offset / 4);
        if (hart < state.msip.length && hart < msipLines.length) {
          state.msip[hart] = (value & 1) != 0; // ACLINT 2.1: bits other than 0 are read-only 0
          msipLines[hart].set(state.msip[hart]);
        }
        return;
      }
      checkAccess(offset, width, 8);
      long register = offset & ~7L;
      if (register == MTIME) {
        long mtime = merge(mtime(), offset, width, value);
        state.mtimeOffset = mtime - clock.now();
      } else {
        int hart = (int) ((register - MTIMECMP_BASE) / 8);
        if (hart < 0 || hart >= state.mtimecmp.length) {
          return;
        }
        state.mtimecmp[hart] = merge(state.mtimecmp[hart], offset, width, value);
      }
      updateTimerLines();
    }
  }

  /** Faults unless {@code width} is 4 or up to {@code maxWidth}, aligned, in the window. */
  private static void checkAccess(long offset, int width, int maxWidth) {
    if ((width != 4 && width != maxWidth) || offset < 0 || offset % width != 0
        || offset > VirtMemoryMap.CLINT_SIZE - width) {
      throw DeviceAccessFault.INSTANCE;
    }
  }

  /** {@code old} with the bytes written by a {@code width}-byte access at {@code offset} replaced. */
  private static long merge(long old, long offset, int width, long value) {
    if (width == 8) {
      return value;
    }
    int shift = (int) (8 * (offset & 4));
    return (old & ~(LOW_HALF << shift)) | ((value & LOW_HALF) << shift);
  }

  @Holding("lock")
  private long mtime() {
    return clock.now() + state.mtimeOffset;
  }

  @Holding("lock")
  private long mtimecmpAt(long register) {
    int hart = (int) ((register - MTIMECMP_BASE) / 8);
    return register >= MTIMECMP_BASE && hart >= 0 && hart < state.mtimecmp.length ? state.mtimecmp[hart] : 0;
  }

  /** Drives each hart's MTIP line to {@code mtime >= mtimecmp} where it changed. */
  @Holding("lock")
  private void updateTimerLines() {
    long now = mtime();
    for (int hart = 0; hart < state.mtimecmp.length && hart < state.mtip.length && hart < mtipLines.length; hart++) {
      boolean pending = unsignedAtLeast(now, state.mtimecmp[hart]);
      if (pending != state.mtip[hart]) {
        state.mtip[hart] = pending;
        mtipLines[hart].set(pending);
      }
    }
  }

  /**
   * True if {@code a >= b} as unsigned 64-bit numbers ({@code mtime} and {@code mtimecmp} are
   * unsigned, ACLINT spec 3.2). Adding 2^63 to both maps unsigned order onto signed order; the
   * values stay plain {@code long} bit patterns because they cross the signed MMIO interface.
   */
  static boolean unsignedAtLeast(long a, long b) {
    return a + Long.MIN_VALUE >= b + Long.MIN_VALUE;
  }

  /** Sets each hart's MTIP to {@code mtime >= mtimecmp} at the clock's current time. */
  @Override
  public void poll() {
    synchronized (lock) {
      updateTimerLines();
    }
  }

  /**
   * The clock tick (in {@link Clock#now()} terms, not {@code mtime}, which may be offset) at which
   * the earliest {@code mtimecmp} still in the future will be reached; {@link Long#MAX_VALUE} if
   * none is in the future or the tick lies beyond {@code Long.MAX_VALUE}. A comparator that has
   * already been reached but whose {@code MTIP} line has not been driven high yet (the clock passed
   * it after the last {@link #poll()}) is due now: it reports the current tick, so that a run loop
   * looking between its poll and its idle check does not take the harts for ones that nothing can
   * wake.
   */
  @Override
  public long nextDeadline() {
    synchronized (lock) {
      long clockNow = clock.now();
      long now = clockNow + state.mtimeOffset;
      long earliest = Long.MAX_VALUE;
      for (int hart = 0; hart < state.mtimecmp.length && hart < state.mtip.length; hart++) {
        long compare = state.mtimecmp[hart];
        if (unsignedAtLeast(now, compare)) {
          if (!state.mtip[hart]) {
            earliest = Math.min(earliest, clockNow); // fired since the last poll: due now
          }
        } else {
          long ticksAway = compare - now; // in (0, 2^64) as an unsigned number
          if (unsignedAtLeast(Long.MAX_VALUE - clockNow, ticksAway)) {
            earliest = Math.min(earliest, clockNow + ticksAway);
          }
        }
      }
      return earliest;
    }
  }

  /**
   * Device reset, as when the board was created: every {@code msip} 0, every {@code mtimecmp}
   * all ones (no timer interrupt pending), {@code mtime} equal to the clock again; the lines
   * follow.
   */
  public void reset() {
    synchronized (lock) {
      Arrays.fill(state.msip, false);
      Arrays.fill(state.mtimecmp, -1L);
      state.mtimeOffset = 0;
      for (IrqLine line : msipLines) {
        line.set(false);
      }
      updateTimerLines();
    }
  }
}
