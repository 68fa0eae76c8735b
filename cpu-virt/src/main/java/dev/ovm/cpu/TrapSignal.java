package dev.ovm.cpu;

/**
 * Unwinds the interpreter from the instruction that raised a synchronous exception back to the
 * run loop, which then enters the trap. It carries nothing: the cause and trap value are in the
 * hart's {@link HartState} (set by {@link HartState#raise}). One shared, stackless, immutable
 * instance, so raising an exception never allocates.
 */
final class TrapSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The only instance. */
  static final TrapSignal INSTANCE = new TrapSignal();

  private TrapSignal() {
    super("trap", null, false, false);
  }
}
