package dev.ovm.vmm.sched;

/**
 * The formats in which a scheduler can export and import its state during a hot swap
 * (K42-style negotiation: Hui et al., "Supporting hot-swappable components for system software",
 * HotOS 2001; Soules et al., "System support for online reconfiguration", USENIX ATC 2003).
 *
 * <p>Every format carries the plain run queue (every vCPU and its state); the richer ones add what
 * proportional-share or deadline policies need. The swap uses the richest format both the old and
 * the new policy support, in the order of {@link #richness()}.
 */
public enum StateFormat {
  /** Every vCPU with its runnable/blocked/paused state, in queue order. */
  RUN_QUEUE(0),
  /** Run queue plus per-VM weight and cap, per-vCPU consumed time and credit. */
  PROPORTIONAL_SHARE(1),
  /** Run queue plus per-vCPU period, budget, remaining budget and absolute deadline. */
  DEADLINE(1);

  private final int richness;

  StateFormat(int richness) {
    this.richness = richness;
  }

  /** Higher is richer; formats of equal richness are incomparable (the new policy's order decides). */
  public int richness() {
    return richness;
  }
}
