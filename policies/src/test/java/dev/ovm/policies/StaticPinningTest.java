package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The null scheduler (static pinning) in the simulated pool. */
class StaticPinningTest {
  private static final long STEP = 100_000;

  @Test
  void eachVcpuStaysOnItsCpuAndExtraOnesWaitForAFreeCpu() {
    StaticPinning pinning = new StaticPinning();
    SimulatedPool pool = new SimulatedPool(pinning, 2, STEP);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu b = pool.add("b", 0, Workload.cpuBound());
    SchedVcpu c = pool.add("c", 0, Workload.cpuBound());
    Map<SchedVcpu, Set<Integer>> cpusUsed = new HashMap<>();
    pool.observe((now, cpu, vcpu, n) -> cpusUsed.computeIfAbsent(vcpu, v -> new HashSet<>()).add(cpu));
    pool.run(10_000_000);
    assertEquals(Set.of(0), cpusUsed.get(a));
    assertEquals(Set.of(1), cpusUsed.get(b));
    assertEquals(10_000_000, pool.instructions(a));
    assertEquals(0, pool.instructions(c));
    assertEquals(-1, pinning.cpuOf(c));
    pool.remove(a);
    pool.run(10_000_000);
    assertEquals(0, pinning.cpuOf(c));
    assertEquals(10_000_000, pool.instructions(c));
  }

  @Test
  void aBlockedVcpuKeepsItsCpuIdle() {
    StaticPinning pinning = new StaticPinning();
    SimulatedPool pool = new SimulatedPool(pinning, 1, STEP);
    SchedVcpu sleeper = pool.add("s", 0, Workload.periodic(100_000, 900_000));
    SchedVcpu waiting = pool.add("w", 0, Workload.cpuBound());
    pool.run(10_000_000);
    assertEquals(1_000_000, pool.instructions(sleeper));
    assertEquals(0, pool.instructions(waiting));
  }

  @Test
  void theCpuParameterPinsAVmsVcpusFromItsFirstCpu() {
    StaticPinning pinning = new StaticPinning();
    SimulatedPool pool = new SimulatedPool(pinning, 4, STEP);
    SchedVcpu x0 = pool.add("x", 0, Workload.cpuBound());
    SchedVcpu x1 = pool.add("x", 1, Workload.cpuBound());
    pinning.setParameter("x", "cpu", "3");
    assertEquals(3, pinning.cpuOf(x0));
    assertEquals(0, pinning.cpuOf(x1));
    Map<SchedVcpu, Set<Integer>> cpusUsed = new HashMap<>();
    pool.observe((now, cpu, vcpu, n) -> cpusUsed.computeIfAbsent(vcpu, v -> new HashSet<>()).add(cpu));
    pool.run(5_000_000);
    assertEquals(Set.of(3), cpusUsed.get(x0));
    assertEquals(Set.of(0), cpusUsed.get(x1));
    assertThrows(IllegalArgumentException.class, () -> pinning.setParameter("x", "cpu", "4"));
    assertThrows(IllegalArgumentException.class, () -> pinning.setParameter("x", "cpu", "any"));
    assertEquals("3", pinning.parameters("x").get("cpu"));
  }
}
