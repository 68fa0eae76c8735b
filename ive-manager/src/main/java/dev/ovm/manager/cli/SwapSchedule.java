package dev.ovm.manager.cli;

import dev.ovm.policies.Policies;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code --swap-at INSNS:POLICY} plan: when the VMs together have retired INSNS instructions,
 * the pool's policy is swapped for POLICY (with state transfer). Runs on the VMM's thread after a
 * round, which is a quiescent point.
 */
final class SwapSchedule implements Vmm.RoundListener {
  /**
   * One planned swap.
   *
   * @param at total instructions retired when it happens
   * @param policy the registered name of the new policy
   */
  record Swap(long at, String policy) {}

  private final CpuPool pool;
  private final List<Swap> pending;
  private final List<String> done = new ArrayList<>();

  SwapSchedule(CpuPool pool, List<Swap> plan) {
    this.pool = pool;
    this.pending = new ArrayList<>(plan);
    this.pending.sort(Comparator.comparingLong(Swap::at));
  }

  /**
   * Parses {@code INSNS:POLICY}.
   *
   * @throws UserError if malformed or the policy is unknown
   */
  static Swap parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new UserError("--swap-at " + text + ": expected INSNS:POLICY, e.g. 5000000:credit");
    }
    long at;
    try {
      at = Long.parseLong(text.substring(0, colon).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UserError("--swap-at " + text + ": '" + text.substring(0, colon) + "' is not a number", e);
    }
    String policy = text.substring(colon + 1);
    if (!Policies.names().contains(policy)) {
      throw new UserError("--swap-at " + text + ": unknown policy '" + policy + "' (known: "
          + String.join(", ", Policies.names()) + ")");
    }
    return new Swap(at, policy);
  }

  @Override
  public void roundEnded(Vmm vmm, long now) {
    while (!pending.isEmpty() && vmm.retired() >= pending.get(0).at()) {
      Swap swap = pending.remove(0);
      String from = pool.schedulerName();
      try {
        Vmm.SwapResult result = vmm.swap(pool, Policies.create(swap.policy()));
        done.add(String.format("swap %s -> %s at %d instructions via %s (pause %.1f us)",
            from, swap.policy(), vmm.retired(), result.format(), result.pauseNanos() / 1e3));
      } catch (IllegalStateException e) {
        done.add("swap to " + swap.policy() + " refused: " + e.getMessage());
      }
    }
  }

  /** What happened, one line per planned swap that came due. */
  List<String> outcomes() {
    return List.copyOf(done);
  }
}
