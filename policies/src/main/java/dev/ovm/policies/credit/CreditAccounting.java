package dev.ovm.policies.credit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The credit scheduler's accounting step: how much credit each active vCPU gets in one accounting
 * period (Xen's {@code csched_acct}). The pool's capacity ({@code period × physical CPUs}) is
 * shared among the active VMs in proportion to their weights through {@link CreditAccount#share}
 * (the verified arithmetic); a VM's share is limited to one CPU per active vCPU and to its cap
 * ({@code period × cap / 100}), then split evenly (rounded up) over its active vCPUs. Credit a VM
 * cannot use because of these limits is not redistributed (Xen hands it out as extra credit).
 *
 * <p>Stateless; safe from any thread.
 */
final class CreditAccounting {
  /**
   * One active VM's claim.
   *
   * @param vm the VM's name
   * @param weight its weight, 1..65535
   * @param capPercent its cap in percent of one CPU, 0 = none
   * @param activeVcpus how many of its vCPUs are active, at least 1
   */
  record Claim(String vm, int weight, int capPercent, int activeVcpus) {}

  private CreditAccounting() {}

  /**
   * The credit per active vCPU of each claiming VM for one period of {@code period} instructions
   * on {@code physicalCpus} CPUs. Weights are scaled down by a power of two when their sum exceeds
   * what {@link CreditAccount#share} accepts (more than 64 VMs of the largest weight); the capacity
   * is limited to {@link CreditAccount#MAX_SHARE_TOTAL}.
   */
  static Map<String, Long> grants(List<Claim> claims, long period, int physicalCpus) {
    long totalWeight = 0;
    for (Claim claim : claims) {
      totalWeight += claim.weight();
    }
    int shift = 0;
    while ((totalWeight >> shift) + claims.size() > CreditAccount.MAX_TOTAL_WEIGHT) {
      shift++;
    }
    long scaledTotal = 0;
    for (Claim claim : claims) {
      scaledTotal += scaled(claim.weight(), shift);
    }
    long capacity = Math.min(CreditAccount.MAX_SHARE_TOTAL, period * physicalCpus);
    Map<String, Long> perVcpu = new HashMap<>();
    for (Claim claim : claims) {
      long fair = CreditAccount.share(capacity, scaled(claim.weight(), shift), scaledTotal);
      fair = Math.min(fair, period * claim.activeVcpus());
      if (claim.capPercent() > 0) {
        fair = Math.min(fair, period * claim.capPercent() / 100);
      }
      perVcpu.put(claim.vm(), Math.ceilDiv(fair, Math.max(1, claim.activeVcpus())));
    }
    return perVcpu;
  }

  private static long scaled(int weight, int shift) {
    return Math.max(1, weight >> shift);
  }
}
