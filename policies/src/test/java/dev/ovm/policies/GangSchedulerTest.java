package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Gang scheduling in the simulated pool. */
class GangSchedulerTest {
  private static final long STEP = 100_000;

  @Test
  void aVmsVcpusRunTogetherAndVmsTakeSlotsInTurn() {
    GangScheduler gang = new GangScheduler();
    SimulatedPool pool = new SimulatedPool(gang, 2, STEP);
    SchedVcpu a0 = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu a1 = pool.add("a", 1, Workload.cpuBound());
    pool.add("b", 0, Workload.cpuBound());
    pool.add("b", 1, Workload.cpuBound());
    pool.add("c", 0, Workload.cpuBound());
    Map<Long, Set<String>> vmsPerStep = new TreeMap<>();
    Map<Long, Set<SchedVcpu>> vcpusPerStep = new HashMap<>();
    pool.observe((now, cpu, vcpu, instructions) -> {
      vmsPerStep.computeIfAbsent(now, t -> new HashSet<>()).add(vcpu.vm());
      vcpusPerStep.computeIfAbsent(now, t -> new HashSet<>()).add(vcpu);
    });
    pool.run(30_000_000);
    for (Map.Entry<Long, Set<String>> step : vmsPerStep.entrySet()) {
      assertEquals(1, step.getValue().size(), "VMs at " + step.getKey() + ": " + step.getValue());
      Set<SchedVcpu> running = vcpusPerStep.get(step.getKey());
      assertEquals(running.contains(a0), running.contains(a1), "a's vCPUs apart at " + step.getKey());
    }
    // 30 slots of 1 M: a, b, c ten each; c has one vCPU, so one CPU idles in its slots.
    assertEquals(10_000_000, pool.instructions(a0));
    assertEquals(10_000_000, pool.instructions(a1));
    for (SchedVcpu vcpu : pool.vcpus()) {
      assertEquals(10_000_000, pool.instructions(vcpu), vcpu.key());
    }
  }

  @Test
  void aVmWithMoreVcpusThanCpusRotatesThemOverItsSlots() {
    GangScheduler gang = new GangScheduler();
    SimulatedPool pool = new SimulatedPool(gang, 2, STEP);
    for (int i = 0; i < 3; i++) {
      pool.add("wide", i, Workload.cpuBound());
    }
    pool.run(30_000_000);
    for (SchedVcpu vcpu : pool.vcpus()) {
      assertEquals(20_000_000, pool.instructions(vcpu), 1_000_000, vcpu.key());
    }
  }

  @Test
  void aBlockedVmLosesItsTurnInsteadOfIdlingThePool() {
    GangScheduler gang = new GangScheduler();
    SimulatedPool pool = new SimulatedPool(gang, 1, STEP);
    SchedVcpu busy = pool.add("busy", 0, Workload.cpuBound());
    SchedVcpu sleeper = pool.add("sleeper", 0, Workload.periodic(100_000, 1_000_000_000));
    pool.run(10_000_000);
    assertEquals(100_000, pool.instructions(sleeper));
    assertTrue(pool.instructions(busy) >= 9_000_000, "busy ran " + pool.instructions(busy));
  }

  @Test
  void slotIsAPoolParameter() {
    GangScheduler gang = new GangScheduler();
    gang.setParameter("*", "slot", "500000");
    assertEquals("500000", gang.parameters("*").get("slot"));
    assertThrows(IllegalArgumentException.class, () -> gang.setParameter("*", "slot", "-1"));
    assertThrows(IllegalArgumentException.class, () -> gang.setParameter("a", "weight", "1"));
  }
}
