package dev.ovm.vmm.time;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic time: {@code mtime} advances by one tick per {@code instructionsPerTick} retired
 * instructions, and jumps forward when all vCPUs are idle. The same guest, inputs and schedule
 * therefore see the same times on every run.
 */
public final class InstructionClock implements Clock {
  private final long instructionsPerTick;
  /** Instructions retired and not yet turned into a whole tick; only the VM's run loop writes it. */
  private long carry;
  private final AtomicLong ticks = new AtomicLong();

  /**
   * Creates a clock at tick 0.
   *
   * @param instructionsPerTick instructions per 100 ns tick, at least 1 (10 models a 100 MIPS core)
   */
  public InstructionClock(long instructionsPerTick) {
    if (instructionsPerTick < 1) {
      throw new IllegalArgumentException("instructionsPerTick must be >= 1: " + instructionsPerTick);
    }
    this.instructionsPerTick = instructionsPerTick;
  }

  @Override
  public long now() {
    return ticks.get();
  }

  @Override
  public void retired(long instructions) {
    long total = carry + instructions;
    ticks.addAndGet(total / instructionsPerTick);
    carry = total % instructionsPerTick;
  }

  @Override
  public boolean idleUntil(long tick) {
    ticks.accumulateAndGet(tick, Math::max);
    return true;
  }

  @Override
  public boolean deterministic() {
    return true;
  }
}
