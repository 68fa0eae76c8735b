package dev.ovm.policies.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.RoundRobin;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: it catches contract violations and keeps time exactly. */
class SimulatedPoolTest {
  /** Always offers the first vCPU it was given, whatever its state. */
  private static final class Stubborn implements Scheduler {
    final List<SchedVcpu> vcpus = new ArrayList<>();

    @Override public String name() {
      return "stubborn";
    }

    @Override public void insert(SchedVcpu vcpu) {
      vcpus.add(vcpu);
    }

    @Override public void remove(SchedVcpu vcpu) {
      vcpus.remove(vcpu);
    }

    @Override public void wake(SchedVcpu vcpu) {}

    @Override public Decision pickNext(int cpu, long now) {
      return Decision.run(vcpus.get(0), 100_000);
    }

    @Override public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {}

    @Override public List<StateFormat> exportFormats() {
      return List.of(StateFormat.RUN_QUEUE);
    }

    @Override public List<StateFormat> importFormats() {
      return List.of(StateFormat.RUN_QUEUE);
    }

    @Override public SchedulerState exportState(StateFormat format) {
      return new SchedulerState.RunQueue(vcpus);
    }

    @Override public void importState(SchedulerState state) {
      vcpus.addAll(state.vcpus());
    }
  }

  @Test
  void aVcpuPickedForTwoCpusAtOnceFailsTheRun() {
    SimulatedPool pool = new SimulatedPool(new Stubborn(), 2, 100_000);
    pool.add("a", 0, Workload.cpuBound());
    AssertionError e = assertThrows(AssertionError.class, () -> pool.run(100_000));
    assertTrue(e.getMessage().contains("while it runs on CPU 0"), e.getMessage());
  }

  @Test
  void aPausedVcpuPickedFailsTheRun() {
    SimulatedPool pool = new SimulatedPool(new Stubborn(), 1, 100_000);
    SchedVcpu a = pool.add("a", 0, Workload.cpuBound());
    pool.pause(a);
    AssertionError e = assertThrows(AssertionError.class, () -> pool.run(100_000));
    assertTrue(e.getMessage().contains("not runnable"), e.getMessage());
  }

  @Test
  void blockingAndWakingFollowTheWorkload() {
    SimulatedPool pool = new SimulatedPool(new RoundRobin(), 1, 100_000);
    SchedVcpu a = pool.add("a", 0, Workload.periodic(50_000, 150_000));
    pool.run(1_000_000);
    // Runs 50 000, blocks, wakes at the first step boundary 150 000 later: every 200 000 + rounding.
    assertEquals(5 * 50_000, pool.instructions(a));
  }
}
