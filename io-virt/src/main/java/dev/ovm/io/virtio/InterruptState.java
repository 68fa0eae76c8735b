package dev.ovm.io.virtio;

import dev.ovm.vmm.device.IrqLine;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * The part of a virtio-mmio transport that devices reach from any thread: the InterruptStatus
 * bits (virtio 1.2 4.2.2), the interrupt line they drive, and the DEVICE_NEEDS_RESET condition
 * (2.1.2).
 *
 * <p>The line is level-triggered and asserted exactly while InterruptStatus is non-zero (4.2.3.4:
 * "a single, dedicated interrupt signal, which is asserted when at least one of the bits ... is
 * set"). Entering DEVICE_NEEDS_RESET raises a configuration change notification, as 2.1.2
 * requires.
 *
 * <p>Thread safety and lock order: one lock ({@code lock}), the innermost lock of the virtio
 * package: it is taken under the transport's and the devices' locks and takes none itself except
 * what the interrupt line takes (the PLIC's lock).
 */
public final class InterruptState {
  /** InterruptStatus bit 0: Used Buffer Notification. */
  public static final int USED_BUFFER = 1;
  /** InterruptStatus bit 1: Configuration Change Notification. */
  public static final int CONFIG_CHANGE = 2;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    /** The InterruptStatus register. */
    int status;
    /** DEVICE_NEEDS_RESET is set. */
    boolean needsReset;
    /** The level last driven on the line. */
    boolean level;
  }

  private final IrqLine line;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /** Creates the state for a transport whose interrupt is {@code line}. */
  public InterruptState(IrqLine line) {
    this.line = line;
  }

  /** Sets {@code bits} (USED_BUFFER and/or CONFIG_CHANGE) in InterruptStatus. */
  public void raise(int bits) {
    synchronized (lock) {
      state.status |= bits & (USED_BUFFER | CONFIG_CHANGE);
      update();
    }
  }

  /** InterruptACK: clears {@code bits} in InterruptStatus; undefined bits are ignored. */
  public void acknowledge(int bits) {
    synchronized (lock) {
      state.status &= ~bits;
      update();
    }
  }

  /** The InterruptStatus register. */
  public int status() {
    synchronized (lock) {
      return state.status;
    }
  }

  /** Enters DEVICE_NEEDS_RESET and sends a configuration change notification (2.1.2). */
  public void enterNeedsReset() {
    synchronized (lock) {
      if (!state.needsReset) {
        state.needsReset = true;
        state.status |= CONFIG_CHANGE;
        update();
      }
    }
  }

  /** True while the device is in DEVICE_NEEDS_RESET. */
  public boolean needsReset() {
    synchronized (lock) {
      return state.needsReset;
    }
  }

  /** Device reset: clears InterruptStatus (4.2.2.1) and DEVICE_NEEDS_RESET. */
  void reset() {
    synchronized (lock) {
      state.status = 0;
      state.needsReset = false;
      update();
    }
  }

  @Holding("lock")
  private void update() {
    boolean asserted = state.status != 0;
    if (asserted != state.level) {
      state.level = asserted;
      line.set(asserted);
    }
  }
}
