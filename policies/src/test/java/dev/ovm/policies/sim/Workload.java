package dev.ovm.policies.sim;

/**
 * What a simulated vCPU does: run for {@code runFor} instructions, then block (WFI) for {@code
 * sleepFor} instructions of pool time, and again. A CPU-bound vCPU never blocks.
 *
 * @param runFor instructions between blocks ({@link Long#MAX_VALUE}: never blocks), at least 1
 * @param sleepFor pool instructions spent blocked each time, at least 0
 */
public record Workload(long runFor, long sleepFor) {
  /** Validates the lengths. */
  public Workload {
    if (runFor < 1 || sleepFor < 0) {
      throw new IllegalArgumentException("runFor >= 1 and sleepFor >= 0 needed");
    }
  }

  /** A vCPU that always wants to run. */
  public static Workload cpuBound() {
    return new Workload(Long.MAX_VALUE, 0);
  }

  /** A vCPU that runs {@code runFor} instructions, then sleeps {@code sleepFor}. */
  public static Workload periodic(long runFor, long sleepFor) {
    return new Workload(runFor, sleepFor);
  }

  /** Whether it ever blocks. */
  public boolean blocks() {
    return runFor != Long.MAX_VALUE;
  }
}
