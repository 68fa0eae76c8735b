package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ovm.clustered.ClusteredObject;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.StateFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The null scheduler's per-physical-CPU assignments are clustered-object reps: created when a CPU
 * first gets a vCPU or first picks, and all visited by export and dump.
 */
class StaticPinningRepsTest {

  @Test
  void repsAreCreatedOnFirstUseAndExportVisitsThemInCpuOrder() {
    StaticPinning pinning = new StaticPinning();
    pinning.start(4);
    ClusteredObject<StaticPinning.PinnedCpu> cpus = pinning.cpus();
    assertEquals(4, cpus.coreSet().size());
    assertEquals(List.of(), cpus.reps(), "no rep before first use");
    SchedVcpu a = new SchedVcpu("a", 0);
    SchedVcpu b = new SchedVcpu("b", 0);
    pinning.insert(a); // CPU 0
    pinning.insert(b); // CPU 1
    assertEquals(2, cpus.reps().size());
    assertNull(cpus.repIfPresent(2));
    assertNull(cpus.repIfPresent(3));

    pinning.setParameter("b", "cpu", "3"); // b moves from CPU 1 to CPU 3
    assertEquals(3, pinning.cpuOf(b));
    assertEquals(b, pinning.pickNext(3, 0).vcpu());
    SchedVcpu c = new SchedVcpu("c", 0);
    pinning.insert(c); // the lowest free CPU: 1
    assertEquals(1, pinning.cpuOf(c));

    assertNull(cpus.repIfPresent(2), "CPU 2 never picked and never had a vCPU");
    assertNull(pinning.pickNext(2, 0).vcpu());
    assertNotNull(cpus.repIfPresent(2), "picking created CPU 2's (empty) rep");
    assertEquals(List.of(a, c, b), pinning.exportState(StateFormat.RUN_QUEUE).vcpus(),
        "pinned vCPUs in CPU order, not insertion order");
    assertEquals("null cpus=[a/0(RUNNABLE), c/0(RUNNABLE), null, b/0(RUNNABLE)] waiting=[]",
        pinning.dump());
  }
}
