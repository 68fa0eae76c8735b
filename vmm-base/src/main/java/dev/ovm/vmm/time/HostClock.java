package dev.ovm.vmm.time;

/** Real time: {@code mtime} follows the host's monotonic clock from the moment of creation. */
public final class HostClock implements Clock {
  private final long startNanos = System.nanoTime();

  /** Creates a clock at tick 0 now. */
  public HostClock() {}

  @Override
  public long now() {
    return (System.nanoTime() - startNanos) / (1_000_000_000L / TIMEBASE_HZ);
  }

  @Override
  public void retired(long instructions) {
    // host time passes by itself
  }

  @Override
  public boolean idleUntil(long tick) {
    return false;
  }

  @Override
  public boolean deterministic() {
    return false;
  }
}
