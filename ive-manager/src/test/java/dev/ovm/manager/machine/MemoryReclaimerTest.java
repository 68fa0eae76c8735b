package dev.ovm.manager.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.clustered.CoreSet;
import dev.ovm.manager.OvmRunner;
import dev.ovm.memory.MachineMemory;
import dev.ovm.policies.Policies;
import dev.ovm.vmm.RunLimits;
import dev.ovm.vmm.VmState;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two VMs share one machine memory; the one that powers off first gives its frames back at once. */
class MemoryReclaimerTest {

  @Test
  void aStoppedVmsFramesGoBackWhileTheOtherVmRuns() {
    Clock clock = MachineBuilder.clockFor(true);
    Vmm vmm = new Vmm(clock, MachineBuilder.INSTRUCTIONS_PER_TICK);
    CpuPool pool = vmm.createPool(
        "p", 1, Policies.create("round-robin"), () -> Policies.create("round-robin"), 100_000_000);
    long ram = 8L << 20;
    try (MachineMemory memory = new MachineMemory(2 * ram, CoreSet.of(vmm.physicalCpus()))) {
      Machine quick = new MachineBuilder(config("quick", Optional.empty(), ram), clock, b -> {}, memory)
          .build(); // the embedded demo guest: prints and powers off
      Machine busy = new MachineBuilder(
              config("busy", Optional.of(OvmRunner.GUEST_BIN.resolve("bench.elf")), ram), clock, b -> {}, memory)
          .build();
      try {
        assertTrue(quick.residentPages() > 0, "the loader touched the demo's pages");
        vmm.addRoundListener(new MemoryReclaimer(List.of(quick, busy)));
        int[] checked = {0};
        vmm.addRoundListener((v, now) -> {
          if (checked[0] == 0 && quick.vm().state() == VmState.STOPPED) {
            checked[0] = 1;
            assertEquals(VmState.RUNNING, busy.vm().state(), "the test wants the busy VM still running");
            assertEquals(0, quick.residentPages());
            assertEquals(busy.residentPages(), memory.allocator().usedFrames(),
                "only the running VM holds frames");
          }
        });
        vmm.addVm(quick.vm(), pool);
        vmm.addVm(busy.vm(), pool);
        vmm.run(new RunLimits(20_000_000, Duration.ofSeconds(60), 10_000));
        assertEquals(1, checked[0], "the demo VM never stopped");
      } finally {
        quick.close();
        busy.close();
      }
      assertEquals(0, memory.allocator().usedFrames(), "closing the machines returns every frame");
      memory.allocator().checkConsistent();
    }
  }

  private static MachineConfig config(String name, Optional<java.nio.file.Path> kernel, long ram) {
    return new MachineConfig(name, kernel, Optional.empty(), ram, 1, "", Optional.empty(), true);
  }
}
