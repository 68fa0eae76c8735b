package dev.ovm.vmm.sched;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A scheduler's answer to "what should this physical CPU run next?".
 *
 * @param vcpu the vCPU to run, or null to leave the physical CPU idle
 * @param quantum how long it may run, in instructions (deterministic mode counts instructions;
 *     realtime mode converts with the pool's nominal rate); ignored when idle
 */
public record Decision(@Nullable SchedVcpu vcpu, long quantum) {

  /** Validates the quantum of a run decision. */
  public Decision {
    if (vcpu != null && quantum < 1) {
      throw new IllegalArgumentException("quantum must be positive: " + quantum);
    }
  }

  /** Leave the physical CPU idle until something wakes. */
  public static final Decision IDLE = new Decision(null, 0);

  /** Run {@code vcpu} for {@code quantum} instructions. */
  public static Decision run(SchedVcpu vcpu, long quantum) {
    return new Decision(vcpu, quantum);
  }
}
