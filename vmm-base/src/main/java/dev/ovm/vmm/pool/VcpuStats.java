package dev.ovm.vmm.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Counters of one vCPU: instructions retired under the pool, scheduling decisions that started it
 * (context switches in), and wake-up latencies (pool instructions from becoming runnable after a
 * block to starting to run). Written by the runtime with the pool's lock held or by the one
 * physical CPU running the vCPU; read for reports after the run or under the pool's lock.
 */
final class VcpuStats {
  long retired;
  long switchesIn;
  private final List<Long> latencies = new ArrayList<>();

  void recordLatency(long instructions) {
    latencies.add(instructions);
  }

  /** A copy of the recorded wake-up latencies, in instructions of pool time. */
  List<Long> latencies() {
    return List.copyOf(latencies);
  }
}
