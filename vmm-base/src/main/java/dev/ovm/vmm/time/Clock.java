package dev.ovm.vmm.time;

/**
 * The source of a VM's {@code mtime}: a count of timebase ticks (10 MHz on the {@code virt}
 * board) since the VM started. All harts, the CLINT and the {@code time} CSR read the same clock.
 *
 * <p>Two implementations: {@link InstructionClock} advances with retired instructions, so that a
 * run is reproducible bit for bit; {@link HostClock} follows the host's monotonic clock.
 */
public sealed interface Clock permits InstructionClock, HostClock {

  /** Timebase frequency of the {@code virt} board, in Hz (QEMU's {@code RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ}). */
  long TIMEBASE_HZ = 10_000_000L;

  /** The current time in ticks; never decreases. Safe to call from any thread. */
  long now();

  /** Tells the clock that the VM retired {@code instructions} more instructions. */
  void retired(long instructions);

  /**
   * Called when every vCPU waits for an interrupt and the next event is at {@code tick}: a
   * deterministic clock jumps there at once, a host clock leaves time to pass by itself.
   *
   * @return true if the clock jumped (so the caller need not sleep)
   */
  boolean idleUntil(long tick);

  /** True if time depends only on the instructions retired (and so runs are reproducible). */
  boolean deterministic();
}
