package dev.ovm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.time.InstructionClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmTest {

  private static RunLimits limit(long insns) {
    return new RunLimits(insns, Duration.ZERO, 1_000);
  }

  @Test
  void instructionLimitStopsTheVmWithItsExactBudget() {
    FakeVcpu a = new FakeVcpu(0, n -> VcpuExit.QUANTUM);
    FakeVcpu b = new FakeVcpu(1, n -> VcpuExit.QUANTUM);
    Vm vm = new Vm("t", List.of(a, b), new InstructionClock(10), Platform.NONE, false);
    StopReason reason = vm.run(limit(5_500));
    assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, reason.kind());
    assertEquals(5_500, vm.retired());
    assertEquals(VmState.STOPPED, vm.state());
    // round robin: the two vCPUs alternate quanta
    assertEquals(3_000, a.retired());
    assertEquals(2_500, b.retired());
  }

  @Test
  void aStopRequestFromTheGuestEndsTheRunWithItsStatus() {
    Vm[] holder = new Vm[1];
    FakeVcpu cpu =
        new FakeVcpu(
            0,
            n -> {
              holder[0].requestStop(new StopReason(StopReason.Kind.GUEST_POWER_OFF, 7, "fail"));
              return VcpuExit.QUANTUM;
            });
    holder[0] = new Vm("t", List.of(cpu), new InstructionClock(10), Platform.NONE, false);
    StopReason reason = holder[0].run(RunLimits.unlimited());
    assertEquals(7, reason.exitStatus());
    assertTrue(cpu.exitRequested);
    assertEquals(1, cpu.runs);
  }

  @Test
  void theFirstStopRequestWins() {
    FakeVcpu cpu = new FakeVcpu(0, n -> VcpuExit.QUANTUM);
    Vm vm = new Vm("t", List.of(cpu), new InstructionClock(10), Platform.NONE, false);
    vm.requestStop(new StopReason(StopReason.Kind.USER, 1, "first"));
    vm.requestStop(new StopReason(StopReason.Kind.USER, 2, "second"));
    assertEquals("first", vm.run(RunLimits.unlimited()).detail());
  }

  @Test
  void sleepingWithNothingToWakeIsADeadlock() {
    FakeVcpu cpu = new FakeVcpu(0, n -> VcpuExit.WFI);
    Vm vm = new Vm("t", List.of(cpu), new InstructionClock(10), Platform.NONE, false);
    assertEquals(StopReason.Kind.DEADLOCK, vm.run(RunLimits.unlimited()).kind());
  }

  @Test
  void aDeterministicClockJumpsToTheNextTimerWhenAllVcpusSleep() {
    InstructionClock clock = new InstructionClock(10);
    FakeVcpu cpu = new FakeVcpu(0, n -> VcpuExit.WFI);
    Platform timer =
        new Platform() {
          @Override
          public void poll() {
            cpu.wake = clock.now() >= 1_000_000;
          }

          @Override
          public long nextDeadline() {
            return clock.now() >= 1_000_000 ? Long.MAX_VALUE : 1_000_000;
          }
        };
    Vm vm = new Vm("t", List.of(cpu), clock, timer, false);
    StopReason reason = vm.run(limit(3_000));
    // first quantum sleeps, the clock jumps to the deadline, the vCPU wakes and runs on
    assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, reason.kind());
    assertTrue(clock.now() >= 1_000_000, "clock jumped to the timer deadline");
    assertEquals(3, cpu.runs);
  }

  @Test
  void aStopRequestedByAPolledDeviceWinsOverDeadlock() {
    Vm[] holder = new Vm[1];
    FakeVcpu cpu = new FakeVcpu(0, n -> VcpuExit.WFI);
    Platform htifLike =
        new Platform() {
          @Override
          public void poll() {
            if (cpu.runs > 0) {
              holder[0].requestStop(new StopReason(StopReason.Kind.GUEST_POWER_OFF, 0, "htif exit"));
            }
          }

          @Override
          public long nextDeadline() {
            return Long.MAX_VALUE;
          }
        };
    holder[0] = new Vm("t", List.of(cpu), new InstructionClock(10), htifLike, false);
    assertEquals("htif exit", holder[0].run(RunLimits.unlimited()).detail());
  }

  @Test
  void aFatalVcpuEndsItsVmAsAGuestFailure() {
    FakeVcpu cpu = new FakeVcpu(0, n -> new VcpuExit.Fatal("stuck"));
    Vm vm = new Vm("t", List.of(cpu), new InstructionClock(10), Platform.NONE, false);
    StopReason reason = vm.run(RunLimits.unlimited());
    assertEquals(StopReason.Kind.GUEST_FAILURE, reason.kind());
    assertEquals("stuck", reason.detail());
  }

  @Test
  void aWallClockTimeoutStopsAnEndlessGuest() {
    FakeVcpu cpu = new FakeVcpu(0, n -> VcpuExit.QUANTUM);
    Vm vm = new Vm("t", List.of(cpu), new InstructionClock(10), Platform.NONE, false);
    StopReason reason =
        vm.run(new RunLimits(Long.MAX_VALUE, Duration.ofMillis(50), RunLimits.DEFAULT_QUANTUM));
    assertEquals(StopReason.Kind.TIMEOUT, reason.kind());
  }

  @Test
  void aVmRunsOnce() {
    Vm vm =
        new Vm(
            "t",
            List.of(new FakeVcpu(0, n -> VcpuExit.QUANTUM)),
            new InstructionClock(10),
            Platform.NONE,
            false);
    vm.run(limit(10));
    assertThrows(IllegalStateException.class, () -> vm.run(limit(10)));
  }
}
