package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.VcpuState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round robin in the simulated pool. */
class RoundRobinTest {
  @Test
  void cpuBoundVcpusGetEqualSharesOnOneCpu() {
    SimulatedPool pool = new SimulatedPool(new RoundRobin(), 1, 100_000);
    List<SchedVcpu> vcpus = List.of(pool.add("a", 0, Workload.cpuBound()),
        pool.add("b", 0, Workload.cpuBound()), pool.add("c", 0, Workload.cpuBound()));
    pool.run(30_000_000);
    for (SchedVcpu vcpu : vcpus) {
      assertEquals(10_000_000, pool.instructions(vcpu), vcpu.key());
    }
    assertEquals(300, pool.picks(), "one pick per 100 000-instruction quantum");
  }

  @Test
  void fiveVcpusOnTwoCpusShareEqually() {
    SimulatedPool pool = new SimulatedPool(new RoundRobin(), 2, 100_000);
    for (int i = 0; i < 5; i++) {
      pool.add("vm", i, Workload.cpuBound());
    }
    pool.run(50_000_000);
    for (SchedVcpu vcpu : pool.vcpus()) {
      assertEquals(20_000_000, pool.instructions(vcpu), 100_000, vcpu.key());
    }
  }

  @Test
  void pausedAndBlockedVcpusDoNotRun() {
    RoundRobin policy = new RoundRobin();
    SimulatedPool pool = new SimulatedPool(policy, 1, 100_000);
    SchedVcpu busy = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu paused = pool.add("b", 0, Workload.cpuBound());
    SchedVcpu sleeper = pool.add("c", 0, Workload.periodic(100_000, 100_000_000));
    pool.pause(paused);
    pool.run(10_000_000);
    assertEquals(0, pool.instructions(paused));
    assertEquals(100_000, pool.instructions(sleeper));
    assertEquals(VcpuState.BLOCKED, sleeper.state());
    assertEquals(9_900_000, pool.instructions(busy));
    pool.resume(paused);
    pool.run(1_000_000);
    assertEquals(500_000, pool.instructions(paused));
  }

  @Test
  void quantumIsAPoolParameter() {
    RoundRobin policy = new RoundRobin();
    policy.setParameter("*", "quantum", "250000");
    assertEquals("250000", policy.parameters("*").get("quantum"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("*", "quantum", "0"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("*", "quantum", "x"));
    assertThrows(IllegalArgumentException.class, () -> policy.setParameter("*", "weight", "5"));
    assertThrows(IllegalArgumentException.class, () -> policy.parameters("nobody"));
  }
}
