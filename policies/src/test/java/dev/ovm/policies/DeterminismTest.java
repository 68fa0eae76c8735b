package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every policy is deterministic: the same pool, workloads and swap give the same schedule trace
 * (the deterministic time mode relies on it).
 */
class DeterminismTest {
  @Test
  void theSameScenarioGivesTheSameTraceUnderEveryPolicyAndSwap() {
    for (String first : Policies.names()) {
      for (String second : Policies.names()) {
        List<String> once = trace(first, second);
        assertTrue(once.size() > 100, first + " -> " + second);
        assertEquals(once, trace(first, second), first + " -> " + second);
      }
    }
  }

  private static List<String> trace(String first, String second) {
    SimulatedPool pool = new SimulatedPool(Policies.create(first), 2, 100_000);
    pool.add("a", 0, Workload.cpuBound());
    pool.add("a", 1, Workload.periodic(250_000, 700_000));
    pool.add("b", 0, Workload.cpuBound());
    pool.add("c", 0, Workload.periodic(1_300_000, 300_000));
    List<String> trace = new ArrayList<>();
    pool.observe((now, cpu, vcpu, n) -> trace.add(now + " " + cpu + " " + vcpu.key() + " " + n));
    pool.run(20_000_000);
    pool.swap(Policies.create(second));
    pool.run(20_000_000);
    return trace;
  }
}
