package dev.ovm.vmm.pool;

import java.util.List;

/**
 * Statistics of one vCPU at the time of a report.
 *
 * @param vm the VM's name
 * @param index the vCPU's index in its VM
 * @param retired instructions retired while scheduled by the pool
 * @param switchesIn how many scheduling decisions started it (context switches in)
 * @param wakeLatencies pool instructions from each wake-up to the start of the next run
 */
public record VcpuReport(String vm, int index, long retired, long switchesIn, List<Long> wakeLatencies) {
  /** Copies the list. */
  public VcpuReport {
    wakeLatencies = List.copyOf(wakeLatencies);
  }
}
