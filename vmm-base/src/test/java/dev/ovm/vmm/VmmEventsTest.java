package dev.ovm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.pool.PoolEvent;
import dev.ovm.vmm.time.InstructionClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The operator's view of a running VMM: lifecycle and policy events, and VM reset. */
class VmmEventsTest {
  private static final long ROUND = 1_000;

  private static Vm busyVm(String name) {
    return new Vm(name, List.of(new FakeVcpu(0, n -> VcpuExit.QUANTUM)), new InstructionClock(10), Platform.NONE);
  }

  private static CpuPool pool(Vmm vmm) {
    return vmm.createPool("p", 1, new FifoScheduler("fifo", 10_000), () -> new FifoScheduler("fallback", 5_000), 1_000_000);
  }

  @Test
  void pauseResumeSwapAndStopArePublishedInOrder() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    CpuPool pool = pool(vmm);
    Vm a = busyVm("a");
    vmm.addVm(a, pool);
    List<VmmEvent> events = new ArrayList<>();
    vmm.addEventListener(events::add);
    vmm.addRoundListener((v, now) -> {
      if (now == 5_000) {
        v.pause(a);
      } else if (now == 6_000) {
        v.resume(a);
      } else if (now == 7_000) {
        v.swap(pool, new FifoScheduler("fifo2", 10_000));
      }
    });
    vmm.run(new RunLimits(20_000, Duration.ofSeconds(30), ROUND));
    assertEquals(new VmmEvent.VmPaused("a"), events.get(0));
    assertEquals(new VmmEvent.VmResumed("a"), events.get(1));
    VmmEvent.Pool swap = (VmmEvent.Pool) events.get(2);
    assertEquals(PoolEvent.Kind.SWAPPED, swap.event().kind());
    assertEquals("fifo", swap.event().from());
    assertEquals("fifo2", swap.event().to());
    assertEquals(pool.events().get(0), swap.event().line(), "the pool's event log says the same");
    VmmEvent.VmStopped stopped = (VmmEvent.VmStopped) events.get(3);
    assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, stopped.reason().kind());
    assertEquals(4, events.size());
  }

  @Test
  void aThrowingListenerDoesNotStopTheVmm() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    CpuPool pool = pool(vmm);
    Vm a = busyVm("a");
    vmm.addVm(a, pool);
    vmm.addEventListener(e -> {
      throw new IllegalStateException("broken front end");
    });
    AtomicInteger seen = new AtomicInteger();
    vmm.addEventListener(e -> seen.incrementAndGet());
    vmm.run(new RunLimits(10_000, Duration.ofSeconds(30), ROUND));
    assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, vmm.stopped().get(a).kind());
    assertEquals(1, seen.get(), "the second listener still heard the stop");
  }

  @Test
  void resetRunsTheMachineResetWithTheVcpusOffTheCpusAndKeepsTheVmRunning() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    CpuPool pool = pool(vmm);
    Vm a = busyVm("a");
    Vm b = busyVm("b");
    vmm.addVm(a, pool);
    vmm.addVm(b, pool);
    List<VmmEvent> events = new ArrayList<>();
    vmm.addEventListener(events::add);
    AtomicInteger resets = new AtomicInteger();
    long[] atReset = new long[1];
    vmm.addRoundListener((v, now) -> {
      if (now == 10_000) {
        v.reset(a, () -> {
          assertEquals(VmState.RUNNING, a.state(), "a reset is not a pause for the operator");
          assertEquals(2, pool.report(false).size(), "the pool keeps both VMs' vCPUs");
          resets.incrementAndGet();
        });
        atReset[0] = a.retired();
      }
    });
    vmm.run(new RunLimits(40_000, Duration.ofSeconds(30), ROUND));
    assertEquals(1, resets.get());
    assertEquals(new VmmEvent.VmReset("a"), events.get(0));
    assertTrue(a.retired() > atReset[0], "a ran on after its reset");
    assertEquals(40_000, a.retired() + b.retired(), "b was not held up beyond the reset");
    assertEquals(VmState.STOPPED, a.state());
  }

  @Test
  void aPausedVmStaysPausedAcrossAReset() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    CpuPool pool = pool(vmm);
    Vm a = busyVm("a");
    Vm b = busyVm("b");
    vmm.addVm(a, pool);
    vmm.addVm(b, pool);
    long[] seen = new long[2];
    vmm.addRoundListener((v, now) -> {
      if (now == 4_000) {
        v.pause(a);
        v.reset(a, () -> {});
        seen[0] = a.retired();
      }
    });
    vmm.run(new RunLimits(40_000, Duration.ofSeconds(30), ROUND));
    assertEquals(VmState.STOPPED, a.state());
    assertEquals(seen[0], a.retired(), "a paused VM does not run after a reset");
  }

  @Test
  void aRefusingMachineResetLeavesTheVmScheduled() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    CpuPool pool = pool(vmm);
    Vm a = busyVm("a");
    vmm.addVm(a, pool);
    long[] seen = new long[1];
    vmm.addRoundListener((v, now) -> {
      if (now == 4_000) {
        assertThrows(IllegalStateException.class, () -> v.reset(a, () -> {
          throw new IllegalStateException("image gone");
        }));
        seen[0] = a.retired();
      }
    });
    vmm.run(new RunLimits(20_000, Duration.ofSeconds(30), ROUND));
    assertTrue(a.retired() > seen[0], "a runs on after the refused reset");
  }

  @Test
  void resetOfAnUnknownVmIsRefused() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    assertThrows(IllegalArgumentException.class, () -> vmm.reset(busyVm("x"), () -> {}));
  }

  @Test
  void aWatchdogRevertIsPublishedWithWhy() {
    Vmm vmm = new Vmm(new InstructionClock(10), 10);
    FifoScheduler starving = new FifoScheduler("starving", 5_000) {
      @Override
      public dev.ovm.vmm.sched.Decision pickNext(int cpu, long now) {
        return dev.ovm.vmm.sched.Decision.IDLE;
      }
    };
    CpuPool pool = vmm.createPool("p", 1, starving, () -> new FifoScheduler("fallback", 5_000), 50_000);
    vmm.addVm(busyVm("a"), pool);
    List<VmmEvent> events = new ArrayList<>();
    vmm.addEventListener(events::add);
    vmm.run(new RunLimits(100_000, Duration.ofSeconds(30), ROUND));
    PoolEvent revert = ((VmmEvent.Pool) events.get(0)).event();
    assertEquals(PoolEvent.Kind.WATCHDOG_REVERT, revert.kind());
    assertEquals("starving", revert.from());
    assertEquals("fallback", revert.to());
    assertTrue(revert.detail().contains("runnable but unscheduled"), revert.detail());
  }
}
