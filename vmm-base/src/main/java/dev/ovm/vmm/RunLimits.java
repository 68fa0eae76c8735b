package dev.ovm.vmm;

import java.time.Duration;

/**
 * Guards and scheduling granularity for one {@link Vm#run(RunLimits)}.
 *
 * @param maxInstructions stop after this many instructions retired by all vCPUs together
 *     ({@link Long#MAX_VALUE}: no limit)
 * @param timeout stop after this much wall-clock time ({@link Duration#ZERO}: no limit)
 * @param quantum instructions a vCPU runs before the loop polls timers and moves to the next vCPU
 */
public record RunLimits(long maxInstructions, Duration timeout, long quantum) {

  /** Default quantum: 10,000 instructions, about 0.1 ms of guest time. */
  public static final long DEFAULT_QUANTUM = 10_000;

  /** Validates the limits. */
  public RunLimits {
    if (maxInstructions < 1) {
      throw new IllegalArgumentException("maxInstructions must be positive: " + maxInstructions);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    if (quantum < 1) {
      throw new IllegalArgumentException("quantum must be positive: " + quantum);
    }
  }

  /** No instruction or time limit, the default quantum. */
  public static RunLimits unlimited() {
    return new RunLimits(Long.MAX_VALUE, Duration.ZERO, DEFAULT_QUANTUM);
  }
}
