package dev.ovm.vmm.sched;

import java.util.Optional;

/**
 * Chooses the state format for a hot swap, K42-style: of the formats the old policy exports and the
 * new one imports, the richest ({@link StateFormat#richness()}); among equally rich ones, the one
 * the new policy lists first. {@link StateFormat#RUN_QUEUE} is the floor every policy supports.
 */
public final class StateNegotiation {
  private StateNegotiation() {}

  /** The format to transfer from {@code from} to {@code to}, or empty if they share none. */
  public static Optional<StateFormat> negotiate(Scheduler from, Scheduler to) {
    StateFormat best = null;
    for (StateFormat format : to.importFormats()) {
      if (from.exportFormats().contains(format)
          && (best == null || format.richness() > best.richness())) {
        best = format;
      }
    }
    return Optional.ofNullable(best);
  }
}
