package dev.ovm.vmm.pool;

/**
 * Something a pool's policy slot went through: a hot swap, a refused swap, or a watchdog revert
 * to the fallback policy.
 *
 * @param pool the pool's name
 * @param time pool time (instructions) at which it happened
 * @param kind what happened
 * @param from the policy before
 * @param to the policy after (for a refused swap: the one that was refused)
 * @param detail the state format transferred, or why the swap was refused or the watchdog acted
 */
public record PoolEvent(String pool, long time, Kind kind, String from, String to, String detail) {

  /** What happened to the policy slot. */
  public enum Kind {
    /** The policy was swapped with state transfer ({@code detail}: the format). */
    SWAPPED,
    /** A swap was refused; the old policy stays ({@code detail}: why). */
    SWAP_REFUSED,
    /** The watchdog replaced a misbehaving policy by the fallback ({@code detail}: why). */
    WATCHDOG_REVERT
  }

  /** The line {@link CpuPool#events()} lists for this event. */
  public String line() {
    return switch (kind) {
      case SWAPPED -> String.format("t=%d swap %s -> %s via %s", time, from, to, detail);
      case SWAP_REFUSED -> String.format("t=%d swap %s -> %s refused: %s", time, from, to, detail);
      case WATCHDOG_REVERT -> String.format("t=%d watchdog: %s -> %s: %s", time, from, to, detail);
    };
  }
}
