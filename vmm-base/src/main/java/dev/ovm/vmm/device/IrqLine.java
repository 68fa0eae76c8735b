package dev.ovm.vmm.device;

/**
 * A level-triggered interrupt line from a device to an interrupt controller (or from a
 * controller to a hart's {@code mip} bit). Devices reach the CPU only through lines like this.
 * Implementations are thread-safe: a device may change its line from an I/O thread.
 */
@FunctionalInterface
public interface IrqLine {

  /** Drives the line: {@code true} asserts it, {@code false} deasserts it. Idempotent. */
  void set(boolean asserted);

  /** A line connected to nothing, for devices whose interrupt is not wired. */
  IrqLine NONE = asserted -> {};
}
