package dev.ovm.policies.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.VcpuState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credit scheduler in the simulated pool: weights, caps, boost, parameters. */
class CreditSchedulerTest {
  private static final long STEP = 100_000;
  private static final long RUN = 900_000_000; // 100 accounting periods, 9 s at 100 MIPS

  @Test
  void weights256And512OnOneCpuGetOneToTwoWithinFivePercent() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, STEP);
    SchedVcpu light = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu heavy = pool.add("b", 0, Workload.cpuBound());
    credit.setParameter("b", "weight", "512");
    pool.run(RUN);
    double ratio = (double) pool.instructions(heavy) / pool.instructions(light);
    System.out.printf("credit 256:512 on 1 CPU: ratio %.4f (a=%d b=%d)%n",
        ratio, pool.instructions(light), pool.instructions(heavy));
    assertEquals(2.0, ratio, 2.0 * 0.05);
    assertEquals(RUN, pool.instructions(light) + pool.instructions(heavy), "work conserving");
  }

  @Test
  void weightsHoldOnTwoCpusWithTwoVcpusPerVm() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 2, STEP);
    SchedVcpu a0 = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu a1 = pool.add("a", 1, Workload.cpuBound());
    SchedVcpu b0 = pool.add("b", 0, Workload.cpuBound());
    SchedVcpu b1 = pool.add("b", 1, Workload.cpuBound());
    credit.setParameter("b", "weight", "768");
    pool.run(RUN);
    double ratio = (double) (pool.instructions(b0) + pool.instructions(b1))
        / (pool.instructions(a0) + pool.instructions(a1));
    System.out.printf("credit 256:768 on 2 CPUs, 2+2 vCPUs: ratio %.4f%n", ratio);
    assertEquals(3.0, ratio, 3.0 * 0.05);
  }

  @Test
  void idleCpusStealSoThreeEqualVcpusShareTwoCpusEqually() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 2, STEP);
    for (int i = 0; i < 3; i++) {
      pool.add("vm" + i, 0, Workload.cpuBound());
    }
    pool.run(RUN);
    long total = 0;
    for (SchedVcpu vcpu : pool.vcpus()) {
      double share = (double) pool.instructions(vcpu) / RUN;
      System.out.printf("credit 3 equal vCPUs on 2 CPUs: %s %.4f CPUs%n", vcpu.key(), share);
      assertEquals(2.0 / 3, share, 2.0 / 3 * 0.05, vcpu.key());
      total += pool.instructions(vcpu);
    }
    assertEquals(2 * RUN, total, "no CPU idles while a vCPU waits");
  }

  @Test
  void capOf25PercentHoldsAloneWithinFivePercent() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, STEP);
    SchedVcpu capped = pool.add("a", 0, Workload.cpuBound());
    credit.setParameter("a", "cap", "25");
    pool.run(RUN);
    double share = (double) pool.instructions(capped) / RUN;
    System.out.printf("credit cap 25%% alone: %.4f of the CPU%n", share);
    assertEquals(0.25, share, 0.25 * 0.05);
  }

  @Test
  void capOf25PercentHoldsAgainstAnUncappedVm() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, STEP);
    SchedVcpu capped = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu other = pool.add("b", 0, Workload.cpuBound());
    credit.setParameter("a", "cap", "25");
    pool.run(RUN);
    double share = (double) pool.instructions(capped) / RUN;
    System.out.printf("credit cap 25%% vs uncapped: %.4f (other %.4f)%n",
        share, (double) pool.instructions(other) / RUN);
    assertEquals(0.25, share, 0.25 * 0.05);
    assertEquals(RUN - pool.instructions(capped), pool.instructions(other));
  }

  @Test
  void aCapOf150PercentLimitsATwoVcpuVmToOneAndAHalfCpus() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 2, STEP);
    SchedVcpu v0 = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu v1 = pool.add("a", 1, Workload.cpuBound());
    credit.setParameter("a", "cap", "150");
    pool.run(RUN);
    double cpus = (double) (pool.instructions(v0) + pool.instructions(v1)) / RUN;
    System.out.printf("credit cap 150%% on 2 vCPUs / 2 CPUs: %.4f CPUs%n", cpus);
    assertEquals(1.5, cpus, 1.5 * 0.05);
  }

  @Test
  void migrateMovesAQueuedVcpuToAnotherCpusQueue() {
    CreditScheduler credit = new CreditScheduler();
    credit.start(2);
    SchedVcpu a = new SchedVcpu("a", 0);
    SchedVcpu b = new SchedVcpu("b", 0);
    credit.insert(a);
    credit.insert(b);
    credit.migrate(b, 1, 0);
    assertEquals(a, credit.pickNext(0, 0).vcpu());
    a.setState(VcpuState.RUNNING);
    assertEquals(b, credit.pickNext(0, 0).vcpu(), "b now queues on CPU 0");
  }

  @Test
  void aShorterSliceShortensTheQuantumAndKeepsTheShares() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, STEP);
    SchedVcpu light = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu heavy = pool.add("b", 0, Workload.cpuBound());
    credit.setParameter("b", "weight", "512");
    pool.run(30_000_000);
    credit.setParameter("*", "slice", "1000000");
    long picks = pool.picks();
    pool.run(RUN);
    assertTrue(pool.picks() - picks >= RUN / 1_000_000, "picks: " + (pool.picks() - picks));
    assertEquals(2.0, (double) pool.instructions(heavy) / pool.instructions(light), 2.0 * 0.05);
  }

  @Test
  void capOver100PercentTimesVcpusIsRefused() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 2, STEP);
    pool.add("a", 0, Workload.cpuBound());
    pool.add("a", 1, Workload.cpuBound());
    credit.setParameter("a", "cap", "200");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> credit.setParameter("a", "cap", "201"));
    assertTrue(e.getMessage().contains("cap"), e.getMessage());
    assertEquals("200", credit.parameters("a").get("cap"));
  }

  @Test
  void badParametersAreOneLineErrorsAndChangeNothing() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, STEP);
    pool.add("a", 0, Workload.cpuBound());
    for (String[] bad : new String[][] {
        {"a", "weight", "0"}, {"a", "weight", "65536"}, {"a", "weight", "heavy"},
        {"a", "colour", "1"}, {"nobody", "weight", "5"}, {"*", "slice", "0"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> credit.setParameter(bad[0], bad[1], bad[2]), String.join(" ", bad));
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
    assertEquals(Map.of("weight", "256", "cap", "0"), credit.parameters("a"));
    assertEquals("3000000", credit.parameters("*").get("slice"));
  }

  @Test
  void aVcpuWakingFromABlockIsBoostedAheadOfUnderOnesButAResumedOneIsNot() {
    CreditScheduler credit = new CreditScheduler();
    credit.start(1);
    SchedVcpu x = new SchedVcpu("x", 0);
    SchedVcpu y = new SchedVcpu("y", 0);
    SchedVcpu z = new SchedVcpu("z", 0);
    credit.insert(x);
    credit.insert(y);
    credit.insert(z);
    assertEquals(x, runAndStop(credit, 0, VcpuState.RUNNABLE));
    assertEquals(y, runAndStop(credit, 100_000, VcpuState.BLOCKED));
    y.setState(VcpuState.RUNNABLE);
    credit.wake(y);
    var boosted = credit.pickNext(0, 200_000);
    assertEquals(y, boosted.vcpu(), "boosted ahead of z and x, which are UNDER");
    assertEquals(CreditScheduler.DEFAULT_SLICE / 3, boosted.quantum(), "a boost lasts one tick");
    y.setState(VcpuState.RUNNING);
    y.setState(VcpuState.RUNNABLE);
    credit.account(y, 0, 100_000, 300_000);
    z.setState(VcpuState.PAUSED);
    credit.sleep(z);
    z.setState(VcpuState.RUNNABLE);
    credit.wake(z);
    assertEquals(x, credit.pickNext(0, 300_000).vcpu(), "a resumed vCPU is queued, not boosted");
  }

  /** Picks on CPU 0 at {@code now}, runs 100 000 instructions and reports it in {@code after}. */
  private static SchedVcpu runAndStop(CreditScheduler credit, long now, VcpuState after) {
    SchedVcpu vcpu = credit.pickNext(0, now).vcpu();
    assertTrue(vcpu != null);
    vcpu.setState(VcpuState.RUNNING);
    vcpu.setState(after);
    credit.account(vcpu, 0, 100_000, now + 100_000);
    return vcpu;
  }
}
