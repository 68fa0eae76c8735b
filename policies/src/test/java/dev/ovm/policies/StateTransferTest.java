package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ovm.policies.credit.CreditScheduler;
import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Negotiation and transfer between policies, and swaps in the running simulated pool. */
class StateTransferTest {
  @Test
  void theRichestCommonFormatIsChosen() {
    assertEquals(StateFormat.PROPORTIONAL_SHARE, negotiate("credit", "fair-share"));
    assertEquals(StateFormat.PROPORTIONAL_SHARE, negotiate("fair-share", "credit"));
    assertEquals(StateFormat.DEADLINE, negotiate("edf", "edf"));
    assertEquals(StateFormat.RUN_QUEUE, negotiate("credit", "edf"));
    assertEquals(StateFormat.RUN_QUEUE, negotiate("edf", "fair-share"));
    for (String name : Policies.names()) {
      assertEquals(StateFormat.RUN_QUEUE, negotiate(name, "round-robin"), name);
      assertEquals(StateFormat.RUN_QUEUE, negotiate("null", name), name);
    }
  }

  @Test
  void equallyRichFormatsAreChosenInTheNewPolicysOrder() {
    Scheduler from = new FormatsOnly(List.of(StateFormat.DEADLINE, StateFormat.PROPORTIONAL_SHARE,
        StateFormat.RUN_QUEUE));
    Scheduler preferShare = new FormatsOnly(List.of(StateFormat.PROPORTIONAL_SHARE,
        StateFormat.DEADLINE, StateFormat.RUN_QUEUE));
    Scheduler preferDeadline = new FormatsOnly(List.of(StateFormat.DEADLINE,
        StateFormat.PROPORTIONAL_SHARE, StateFormat.RUN_QUEUE));
    assertEquals(StateFormat.PROPORTIONAL_SHARE, StateTransfer.negotiate(from, preferShare));
    assertEquals(StateFormat.DEADLINE, StateTransfer.negotiate(from, preferDeadline));
    Scheduler none = new FormatsOnly(List.of());
    assertThrows(IllegalArgumentException.class, () -> StateTransfer.negotiate(from, none));
  }

  /** A policy that only declares formats. */
  private record FormatsOnly(List<StateFormat> formats) implements Scheduler {
    @Override public String name() {
      return "formats";
    }

    @Override public void insert(SchedVcpu vcpu) {}

    @Override public void remove(SchedVcpu vcpu) {}

    @Override public void wake(SchedVcpu vcpu) {}

    @Override public Decision pickNext(int cpu, long now) {
      return Decision.IDLE;
    }

    @Override public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {}

    @Override public List<StateFormat> exportFormats() {
      return formats;
    }

    @Override public List<StateFormat> importFormats() {
      return formats;
    }

    @Override public SchedulerState exportState(StateFormat format) {
      return new SchedulerState.RunQueue(List.of());
    }

    @Override public void importState(SchedulerState state) {}
  }

  @Test
  void creditToFairShareKeepsWeightsAndConsumedTimeAndTheRatio() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, 100_000);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    SchedVcpu b = pool.add("b", 0, Workload.cpuBound());
    credit.setParameter("b", "weight", "512");
    pool.run(450_000_000);
    FairShare fair = new FairShare();
    assertEquals(StateFormat.PROPORTIONAL_SHARE, pool.swap(fair));
    assertEquals("256", fair.parameters("a").get("weight"));
    assertEquals("512", fair.parameters("b").get("weight"));
    var state = (SchedulerState.ProportionalShare) fair.exportState(StateFormat.PROPORTIONAL_SHARE);
    assertEquals(pool.instructions(a), state.consumed().get(a.key()));
    assertEquals(pool.instructions(b), state.consumed().get(b.key()));
    pool.run(450_000_000);
    double ratio = (double) pool.instructions(b) / pool.instructions(a);
    System.out.printf("credit -> fair-share at half time, 256:512: ratio %.4f%n", ratio);
    assertEquals(2.0, ratio, 2.0 * 0.05);
  }

  @Test
  void anyToRoundRobinKeepsEveryVcpuAndItsState() {
    for (String name : Policies.names()) {
      SimulatedPool pool = new SimulatedPool(Policies.create(name), 2, 100_000);
      SchedVcpu runnable = pool.add("a", 0, Workload.cpuBound());
      SchedVcpu sleeper = pool.add("b", 0, Workload.periodic(100_000, 1_000_000_000));
      SchedVcpu paused = pool.add("c", 0, Workload.cpuBound());
      pool.pause(paused);
      pool.run(5_000_000);
      RoundRobin next = new RoundRobin();
      assertEquals(StateFormat.RUN_QUEUE, pool.swap(next), name);
      List<SchedVcpu> listed = next.exportState(StateFormat.RUN_QUEUE).vcpus();
      assertEquals(3, listed.size(), name);
      assertEquals(VcpuState.BLOCKED, sleeper.state(), name);
      assertEquals(VcpuState.PAUSED, paused.state(), name);
      long before = pool.instructions(runnable);
      pool.run(5_000_000);
      assertEquals(before + 5_000_000, pool.instructions(runnable), name);
    }
  }

  @Test
  void aRefusedImportLeavesTheOldPolicyAndItsDataInPlace() {
    CreditScheduler credit = new CreditScheduler();
    SimulatedPool pool = new SimulatedPool(credit, 1, 100_000);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    pool.run(1_000_000);
    Object data = a.policyData();
    FairShare occupied = new FairShare();
    occupied.insert(new SchedVcpu("other", 0));
    assertThrows(IllegalArgumentException.class, () -> pool.swap(occupied));
    assertSame(credit, pool.scheduler());
    assertSame(data, a.policyData());
    pool.run(1_000_000);
    assertEquals(2_000_000, pool.instructions(a));
  }

  @Test
  void anImportedShareWithAnOutOfRangeWeightIsRefused() {
    SchedVcpu v = new SchedVcpu("a", 0);
    var bad = new SchedulerState.ProportionalShare(List.of(v),
        Map.of("a", new SchedulerState.Share(0, 0)), Map.of(), Map.of());
    assertThrows(IllegalArgumentException.class, () -> new CreditScheduler().importState(bad));
    assertThrows(IllegalArgumentException.class, () -> new FairShare().importState(bad));
    var twice = new SchedulerState.RunQueue(List.of(v, v));
    for (String name : Policies.names()) {
      assertThrows(IllegalArgumentException.class, () -> Policies.create(name).importState(twice), name);
    }
  }

  private static StateFormat negotiate(String from, String to) {
    return StateTransfer.negotiate(Policies.create(from), Policies.create(to));
  }
}
