package dev.ovm.policies.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ovm.clustered.ClusteredObject;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The credit scheduler's per-physical-CPU run queues are clustered-object reps: created on a CPU's
 * first use only, and still all visited by load balancing (stealing) and export.
 */
class CreditRunQueueRepsTest {

  @Test
  void aCpuGetsARunQueueRepOnlyWhenSomethingIsQueuedThereOrItPicks() {
    CreditScheduler credit = new CreditScheduler();
    credit.start(4);
    ClusteredObject<CreditRunQueue> queues = credit.runQueues();
    assertEquals(4, queues.coreSet().size(), "one rep slot per physical CPU of the pool");
    assertEquals(List.of(), queues.reps(), "no rep before first use");
    SchedVcpu a = new SchedVcpu("a", 0);
    credit.insert(a); // home CPU 0
    assertNotNull(queues.repIfPresent(0));
    for (int cpu = 1; cpu < 4; cpu++) {
      assertNull(queues.repIfPresent(cpu), "CPU " + cpu + " was never used");
    }
    assertEquals(a, credit.pickNext(2, 0).vcpu(), "CPU 2 steals from CPU 0");
    assertNotNull(queues.repIfPresent(2), "picking created CPU 2's rep");
    assertNull(queues.repIfPresent(1), "a CPU that never picks has no rep");
    assertNull(queues.repIfPresent(3), "a CPU that never picks has no rep");
    assertEquals(2, queues.reps().size());
  }

  @Test
  void stealingTakesEveryQueuedVcpuFromTheOtherCpusReps() {
    CreditScheduler credit = new CreditScheduler();
    credit.start(4);
    List<SchedVcpu> inserted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SchedVcpu vcpu = new SchedVcpu("vm" + i, 0);
      credit.insert(vcpu); // homes CPU 0, 1, 2
      inserted.add(vcpu);
    }
    assertNull(credit.runQueues().repIfPresent(3));
    List<SchedVcpu> stolen = new ArrayList<>();
    Decision decision;
    while ((decision = credit.pickNext(3, 0)).vcpu() != null) {
      SchedVcpu vcpu = decision.vcpu();
      vcpu.setState(VcpuState.RUNNING); // stays off every queue
      stolen.add(vcpu);
    }
    assertEquals(inserted, stolen, "CPU 3 stole from CPU 0, 1 and 2 in CPU order");
    for (CreditRunQueue queue : credit.runQueues().reps()) {
      assertEquals(List.of(), queue.inOrder());
    }
  }

  @Test
  void exportListsTheQueuedVcpusOfEveryRepInCpuOrder() {
    CreditScheduler credit = new CreditScheduler();
    credit.start(4);
    SchedVcpu a = new SchedVcpu("a", 0);
    SchedVcpu b = new SchedVcpu("b", 0);
    SchedVcpu c = new SchedVcpu("c", 0);
    credit.insert(a); // CPU 0
    credit.insert(b); // CPU 1
    credit.insert(c); // CPU 2
    credit.migrate(a, 0, 2); // a queues on CPU 2 behind c
    assertEquals(List.of(c, a), credit.runQueues().repOf(2).inOrder());
    assertNull(credit.runQueues().repIfPresent(3));
    assertEquals(List.of(b, c, a), credit.exportState(StateFormat.RUN_QUEUE).vcpus(),
        "CPU 1's queue, then CPU 2's, not insertion order");
  }

  @Test
  void startForAnotherCpuCountReplacesTheRunQueues() {
    CreditScheduler credit = new CreditScheduler();
    ClusteredObject<CreditRunQueue> before = credit.runQueues();
    assertEquals(1, before.coreSet().size(), "one CPU until start");
    credit.start(3);
    assertEquals(3, credit.runQueues().coreSet().size());
    SchedVcpu a = new SchedVcpu("a", 0);
    SchedVcpu b = new SchedVcpu("b", 0);
    SchedVcpu c = new SchedVcpu("c", 0);
    SchedVcpu d = new SchedVcpu("d", 0);
    credit.insert(a);
    credit.insert(b);
    credit.insert(c);
    credit.insert(d); // homes wrap round to CPU 0
    assertEquals(List.of(a, d), credit.runQueues().repOf(0).inOrder());
    assertEquals(List.of(), before.reps(), "the old object is no longer used");
  }
}
