package dev.ovm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.clustered.Cores;
import dev.ovm.vmm.time.HostClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/** DESIGN-NOTES 8: physical CPUs carry their pool index and a VMM-wide index. */
class VmmIndexTest {

  /** A vCPU that records "pool index:VMM index" of every physical CPU that runs it. */
  private static Vm recordingVm(String name, int vcpus, Set<String> seen) {
    List<Vcpu> list = new java.util.ArrayList<>();
    for (int i = 0; i < vcpus; i++) {
      list.add(new FakeVcpu(i, n -> VcpuExit.QUANTUM) {
        @Override
        public VcpuExit run(long max) {
          seen.add(Cores.currentIndex() + ":" + Cores.currentVmmIndex());
          return super.run(max);
        }
      });
    }
    return new Vm(name, list, new HostClock(), Platform.NONE);
  }

  @Test
  void realtimePhysicalCpusAreNumberedPerPoolAndAcrossTheVmm() {
    Vmm vmm = new Vmm(new HostClock(), 10);
    var first = vmm.createPool("a", 1, new FifoScheduler("fifo", 5_000), () -> new FifoScheduler("f", 5_000), Long.MAX_VALUE);
    var second = vmm.createPool("b", 2, new FifoScheduler("fifo", 5_000), () -> new FifoScheduler("f", 5_000), Long.MAX_VALUE);
    assertEquals(3, vmm.physicalCpus());
    Set<String> seenA = ConcurrentHashMap.newKeySet();
    Set<String> seenB = ConcurrentHashMap.newKeySet();
    vmm.addVm(recordingVm("a", 1, seenA), first);
    vmm.addVm(recordingVm("b", 2, seenB), second);
    vmm.run(new RunLimits(2_000_000, Duration.ofSeconds(30), 1_000));
    assertEquals(Set.of("0:0"), seenA, "pool a's only CPU is VMM CPU 0");
    assertFalse(seenB.isEmpty());
    assertTrue(Set.of("0:1", "1:2").containsAll(seenB), "pool b's CPUs are VMM CPUs 1 and 2: " + seenB);
  }

  @Test
  void theDeterministicExecutorRunsEverythingOutside() {
    Vmm vmm = new Vmm(new dev.ovm.vmm.time.InstructionClock(10), 10);
    var pool = vmm.createPool("a", 2, new FifoScheduler("fifo", 5_000), () -> new FifoScheduler("f", 5_000), Long.MAX_VALUE);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    vmm.addVm(recordingVm("a", 2, seen), pool);
    vmm.run(new RunLimits(100_000, Duration.ofSeconds(30), 1_000));
    assertEquals(Set.of(Cores.OUTSIDE + ":" + Cores.OUTSIDE), seen);
  }
}
