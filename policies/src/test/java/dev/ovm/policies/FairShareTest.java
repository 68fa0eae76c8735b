package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import org.junit.jupiter.api.Test;

/** Fair share by virtual runtime in the simulated pool. */
class FairShareTest {
  private static final long RUN = 900_000_000;

  @Test
  void weights256And512OnOneCpuGetOneToTwoWithinFivePercent() {
    FairShare policy = new FairShare();
    SimulatedPool pool = new SimulatedPool(policy, 1, 100_000);
    SchedVcpu light = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu heavy = pool.add("b", 0, Workload.cpuBound());
    policy.setParameter("a", "weight", "256");
    policy.setParameter("b", "weight", "512");
    pool.run(RUN);
    double ratio = (double) pool.instructions(heavy) / pool.instructions(light);
    System.out.printf("fair-share 256:512 on 1 CPU: ratio %.4f%n", ratio);
    assertEquals(2.0, ratio, 2.0 * 0.05);
    assertEquals(RUN, pool.instructions(light) + pool.instructions(heavy));
  }

  @Test
  void threeWeightsOnTwoCpus() {
    FairShare policy = new FairShare();
    SimulatedPool pool = new SimulatedPool(policy, 2, 100_000);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu b = pool.add("b", 0, Workload.cpuBound());
    SchedVcpu c = pool.add("c", 0, Workload.cpuBound());
    policy.setParameter("a", "weight", "1024");
    policy.setParameter("b", "weight", "1024");
    policy.setParameter("c", "weight", "2048");
    pool.run(RUN);
    // c is entitled to 2 × 4/4 = one whole CPU, a and b to half a CPU each.
    double ratio = (double) pool.instructions(c) / pool.instructions(a);
    System.out.printf("fair-share 1:1:2 on 2 CPUs: c/a %.4f, b/a %.4f%n",
        ratio, (double) pool.instructions(b) / pool.instructions(a));
    assertEquals(2.0, ratio, 2.0 * 0.05);
    assertEquals(1.0, (double) pool.instructions(b) / pool.instructions(a), 0.05);
  }

  @Test
  void aWakingSleeperBanksAtMostHalfALatencyOfLead() {
    FairShare policy = new FairShare();
    SimulatedPool pool = new SimulatedPool(policy, 1, 100_000);
    SchedVcpu busy = pool.add("busy", 0, Workload.cpuBound());
    SchedVcpu sleeper = pool.add("sleeper", 0, Workload.periodic(1_000_000, 100_000_000));
    pool.run(50_000_000);
    assertEquals(VcpuState.BLOCKED, sleeper.state());
    while (sleeper.state() == VcpuState.BLOCKED) {
      pool.run(100_000);
    }
    var state = (SchedulerState.ProportionalShare) policy.exportState(StateFormat.PROPORTIONAL_SHARE);
    long lead = state.credit().get(sleeper.key());
    // Without the clamp the lead would be ~50 M (half of the 100 M the busy vCPU ran alone).
    assertTrue(lead <= 1_000_000 + 200_000, "lead after a 100 M sleep: " + lead);
    assertTrue(pool.instructions(busy) > 90_000_000);
  }

  @Test
  void weightValidation() {
    FairShare policy = new FairShare();
    SimulatedPool pool = new SimulatedPool(policy, 1, 100_000);
    pool.add("a", 0, Workload.cpuBound());
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("a", "weight", "0"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("a", "weight", "1.5"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("a", "cap", "10"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("b", "weight", "10"));
    assertEquals("1024", policy.parameters("a").get("weight"));
  }
}
