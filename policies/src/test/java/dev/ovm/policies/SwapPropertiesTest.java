package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.ovm.policies.credit.CreditScheduler;
import dev.ovm.policies.sim.SimulatedPool;
import dev.ovm.policies.sim.Workload;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Swap invariants for random pools and random pairs of the six policies: after {@link
 * StateTransfer#transfer} every vCPU is listed exactly once by the new policy, in the same state;
 * weights and consumed time survive when both formats carry them; and afterwards the simulated pool
 * (which fails on any vCPU picked twice or not runnable) runs every vCPU that can run.
 *
 * <p>A vCPU is encoded as one int: VM {@code code % 4}, state {@code code / 4 % 3} (runnable,
 * blocked, paused), weight {@code 64 + code / 12 * 10} (64..1054: a ratio of at most 16, so that the
 * lightest vCPU's turn comes within the 150 M instructions the property waits; with weight 1 against
 * 600 it legitimately waits far longer, repaying a debt imported with its credit).
 */
class SwapPropertiesTest {
  private static final long STEP = 100_000;
  private static final VcpuState[] STATES = {VcpuState.RUNNABLE, VcpuState.BLOCKED, VcpuState.PAUSED};

  private static Gen<String> policies() {
    return Generate.pick(Policies.names());
  }

  @Test
  void everyVcpuSurvivesEverySwapOnceInItsStateAndStillRuns() {
    qt().withExamples(1_000)
        .forAll(lists().of(integers().between(0, 1_199)).ofSizeBetween(1, 12),
            policies(), policies(), integers().between(0, 4 * 40 - 1))
        .checkAssert(SwapPropertiesTest::swapKeepsEveryVcpu);
  }

  private static void swapKeepsEveryVcpu(List<Integer> codes, String from, String to, int shape) {
    int cpus = 1 + shape % 4;
    long warmup = shape / 4 * STEP * 7;
    SimulatedPool pool = new SimulatedPool(Policies.create(from), cpus, STEP);
    Map<String, Integer> weights = new HashMap<>();
    Map<String, Integer> nextIndex = new HashMap<>();
    for (int code : codes) {
      String vm = "vm" + code % 4;
      int index = nextIndex.merge(vm, 1, Integer::sum) - 1;
      VcpuState state = STATES[code / 4 % 3];
      weights.putIfAbsent(vm, 64 + code / 12 * 10);
      SchedVcpu vcpu = new SchedVcpu(vm, index);
      if (state == VcpuState.BLOCKED) {
        vcpu.setState(VcpuState.BLOCKED);
        pool.add(vcpu, Workload.periodic(300_000, 2_000_000));
      } else {
        pool.add(vcpu, Workload.cpuBound());
        if (state == VcpuState.PAUSED) {
          pool.pause(vcpu);
        }
      }
    }
    configure(pool.scheduler(), weights);
    pool.run(warmup);
    pool.quiesce();

    Scheduler old = pool.scheduler();
    Map<SchedVcpu, VcpuState> before = new IdentityHashMap<>();
    for (SchedVcpu vcpu : pool.vcpus()) {
      before.put(vcpu, vcpu.state());
    }
    SchedulerState exported = old.exportState(StateTransfer.negotiate(old, Policies.create(to)));
    Scheduler next = Policies.create(to);
    StateFormat format = pool.swap(next);
    assertEquals(exported.format(), format);

    SchedulerState after = next.exportState(format);
    assertEquals(pool.vcpus().size(), after.vcpus().size(), "listed once each");
    Set<SchedVcpu> listed = Collections.newSetFromMap(new IdentityHashMap<>());
    listed.addAll(after.vcpus());
    assertEquals(before.keySet(), listed, "the same vCPUs");
    for (SchedVcpu vcpu : after.vcpus()) {
      assertEquals(before.get(vcpu), vcpu.state(), vcpu.key());
    }
    if (exported instanceof SchedulerState.ProportionalShare was
        && after instanceof SchedulerState.ProportionalShare now) {
      for (String vm : was.shares().keySet()) {
        assertEquals(was.shares().get(vm).weight(), now.shares().get(vm).weight(), vm);
      }
      assertEquals(was.consumed(), now.consumed());
    }
    if (exported instanceof SchedulerState.Deadline was
        && after instanceof SchedulerState.Deadline now) {
      assertEquals(was.reservations(), now.reservations());
    }

    Map<SchedVcpu, Long> ran = new IdentityHashMap<>();
    for (SchedVcpu vcpu : pool.vcpus()) {
      ran.put(vcpu, pool.instructions(vcpu));
    }
    pool.run(150_000_000);
    for (SchedVcpu vcpu : pool.vcpus()) {
      boolean canRun = vcpu.state() != VcpuState.PAUSED
          && (!(next instanceof StaticPinning pinning) || pinning.cpuOf(vcpu) >= 0);
      if (canRun) {
        assertTrue(pool.instructions(vcpu) > ran.get(vcpu),
            vcpu + " never ran under " + to + " after " + from + "\n" + next.dump());
      }
    }
  }

  /** Gives the share policies the generated weights (and credit a cap on one VM). */
  private static void configure(Scheduler policy, Map<String, Integer> weights) {
    if (policy instanceof CreditScheduler || policy instanceof FairShare) {
      for (Map.Entry<String, Integer> e : weights.entrySet()) {
        policy.setParameter(e.getKey(), "weight", Integer.toString(e.getValue()));
      }
    }
    if (policy instanceof CreditScheduler && weights.containsKey("vm0")) {
      policy.setParameter("vm0", "cap", "50");
    }
  }
}
