package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EDF with budget reservations in the simulated pool. */
class EarliestDeadlineFirstTest {
  private static final long STEP = 100_000;

  /** Periods 1 M, 2 M, 4 M with budgets 0.3 M, 0.6 M, 1 M: utilisation 0.85 on one CPU. */
  @Test
  void aSchedulableSetMeetsEveryDeadlineAndGetsExactlyItsBudgets() {
    EarliestDeadlineFirst edf = new EarliestDeadlineFirst();
    SimulatedPool pool = new SimulatedPool(edf, 1, STEP);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu b = pool.add("b", 0, Workload.cpuBound());
    SchedVcpu c = pool.add("c", 0, Workload.cpuBound());
    edf.setParameter("a", "budget", "100000");
    edf.setParameter("b", "budget", "100000");
    edf.setParameter("c", "budget", "100000");
    edf.setParameter("a", "period", "1000000");
    edf.setParameter("a", "budget", "300000");
    edf.setParameter("b", "period", "2000000");
    edf.setParameter("b", "budget", "600000");
    edf.setParameter("c", "period", "4000000");
    edf.setParameter("c", "budget", "1000000");
    assertEquals(850_000, edf.utilisationPpm());
    pool.run(400_000_000);
    System.out.printf("edf U=0.85 on 1 CPU: misses %d, a=%d b=%d c=%d%n", edf.deadlineMisses(),
        pool.instructions(a), pool.instructions(b), pool.instructions(c));
    assertEquals(0, edf.deadlineMisses());
    assertEquals(400 * 300_000, pool.instructions(a), 300_000);
    assertEquals(200 * 600_000, pool.instructions(b), 600_000);
    assertEquals(100 * 1_000_000, pool.instructions(c), 1_000_000);
  }

  @Test
  void admissionRefusesAnOverUtilisedSetAndWithoutItDeadlinesAreMissed() {
    EarliestDeadlineFirst edf = new EarliestDeadlineFirst();
    SimulatedPool pool = new SimulatedPool(edf, 1, STEP);
    pool.add("a", 0, Workload.cpuBound());
    pool.add("b", 0, Workload.cpuBound());
    edf.setParameter("a", "budget", "600000");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> edf.setParameter("b", "budget", "600000"));
    assertTrue(refused.getMessage().startsWith("admission refused"), refused.getMessage());
    assertEquals("400000", edf.parameters("b").get("budget"), "nothing changed");
    edf.setParameter("*", "admission", "0");
    edf.setParameter("b", "budget", "600000");
    pool.run(100_000_000);
    System.out.printf("edf U=1.2 on 1 CPU without admission: %d misses in 100 periods%n",
        edf.deadlineMisses());
    assertTrue(edf.deadlineMisses() >= 50, "misses: " + edf.deadlineMisses());
  }

  @Test
  void aBudgetAbovePeriodIsAnError() {
    EarliestDeadlineFirst edf = new EarliestDeadlineFirst();
    SimulatedPool pool = new SimulatedPool(edf, 1, STEP);
    pool.add("a", 0, Workload.cpuBound());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> edf.setParameter("a", "budget", "1000001"));
    assertTrue(e.getMessage().contains("above its period"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> edf.setParameter("a", "period", "399999"));
    assertThrows(IllegalArgumentException.class, () -> edf.setParameter("a", "period", "soon"));
    assertThrows(IllegalArgumentException.class, () -> edf.setParameter("a", "weight", "1"));
    assertEquals(Map.of("period", "1000000", "budget", "400000"), edf.parameters("a"));
  }

  @Test
  void aVcpuWithoutBudgetLeavesTheCpuIdle() {
    EarliestDeadlineFirst edf = new EarliestDeadlineFirst();
    SimulatedPool pool = new SimulatedPool(edf, 1, STEP);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    pool.run(10_000_000);
    assertEquals(10 * 400_000, pool.instructions(a));
    assertEquals(0, edf.deadlineMisses());
  }

  @Test
  void twoCpusRunFourHalfLoadedVcpusWithoutMisses() {
    EarliestDeadlineFirst edf = new EarliestDeadlineFirst();
    SimulatedPool pool = new SimulatedPool(edf, 2, STEP);
    for (int i = 0; i < 4; i++) {
      pool.add("vm" + i, 0, Workload.cpuBound());
      edf.setParameter("vm" + i, "budget", "500000");
    }
    pool.run(100_000_000);
    assertEquals(0, edf.deadlineMisses());
    for (SchedVcpu vcpu : pool.vcpus()) {
      assertEquals(50_000_000, pool.instructions(vcpu), 500_000, vcpu.key());
    }
  }
}
