package dev.ovm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.time.InstructionClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VM's lifecycle; running VMs is {@link VmmTest}'s subject. */
class VmTest {
  private static Vm vm(FakeVcpu... vcpus) {
    return new Vm("t", List.of(vcpus), new InstructionClock(10), Platform.NONE);
  }

  @Test
  void lifecycleGoesCreatedRunningStopped() {
    Vm vm = vm(new FakeVcpu(0, n -> VcpuExit.QUANTUM));
    assertEquals(VmState.CREATED, vm.state());
    vm.start();
    assertEquals(VmState.RUNNING, vm.state());
    assertThrows(IllegalStateException.class, vm::start);
    assertThrows(IllegalStateException.class, vm::markStopped, "no stop requested yet");
    vm.requestStop(new StopReason(StopReason.Kind.USER, 0, "bye"));
    assertEquals("bye", vm.markStopped().detail());
    assertEquals(VmState.STOPPED, vm.state());
  }

  @Test
  void theFirstStopRequestWinsAndEveryVcpuIsAskedToExit() {
    FakeVcpu a = new FakeVcpu(0, n -> VcpuExit.QUANTUM);
    FakeVcpu b = new FakeVcpu(1, n -> VcpuExit.QUANTUM);
    Vm vm = vm(a, b);
    assertNull(vm.stopRequest());
    vm.requestStop(new StopReason(StopReason.Kind.USER, 1, "first"));
    vm.requestStop(new StopReason(StopReason.Kind.USER, 2, "second"));
    assertEquals("first", vm.stopRequest().detail());
    assertTrue(a.exitRequested && b.exitRequested);
  }

  @Test
  void aFailureIsAGuestFailureWithStatus3() {
    FakeVcpu a = new FakeVcpu(0, n -> VcpuExit.QUANTUM);
    Vm vm = vm(a);
    vm.fail(a, new VcpuExit.Fatal("stuck"));
    assertEquals(StopReason.Kind.GUEST_FAILURE, vm.stopRequest().kind());
    assertEquals(3, vm.stopRequest().exitStatus());
  }

  @Test
  void aVmNeedsAVcpu() {
    assertThrows(IllegalArgumentException.class, () -> new Vm("t", List.of(), new InstructionClock(1), Platform.NONE));
  }
}
