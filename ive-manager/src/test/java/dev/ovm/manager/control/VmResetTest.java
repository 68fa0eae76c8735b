package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code reset VM} on a live VMM: the guest boots again from its images and runs to its normal
 * end; the other VM is not affected.
 */
@org.junit.jupiter.api.Timeout(300)
class VmResetTest {
  private static final String BANNER = "bench: 4000 iterations";

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aResetGuestBootsAgainAndEndsNormallyWhileTheOtherRunsOnUndisturbed() throws Exception {
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    guests.put("b", "bench.elf");
    try (LiveVmm live = new LiveVmm("credit", guests)) {
      live.run("set a weight=512");
      LiveVmm.await(() -> live.output("a").contains(BANNER), "a's first boot");
      long before = live.run("info vm a").data().get("instructions").asLong();
      assertEquals("a reset", live.run("reset a").text());
      assertEquals("512", live.run("info vm a").data().at("/parameters/weight").asText(),
          "the VM keeps its pool and policy parameters");
      assertEquals("running", live.run("info vm a").data().get("state").asText());
      Map<Vm, StopReason> ended = live.end();
      for (Map.Entry<Vm, StopReason> entry : ended.entrySet()) {
        assertEquals(StopReason.Kind.GUEST_POWER_OFF, entry.getValue().kind(), entry.getKey().name());
        assertEquals(0, entry.getValue().exitStatus(), entry.getKey().name());
      }
      String a = live.output("a");
      String b = live.output("b");
      assertEquals(2, count(a, BANNER), "a booted twice:\n" + a);
      assertEquals(1, count(a, "checksum 0xb3dc OK"), a);
      assertEquals(1, count(b, BANNER), b);
      assertTrue(b.contains("checksum 0xb3dc OK"), b);
      // after the reset a printed exactly what b printed in its only boot, minstret included:
      // RAM, harts and counters started from scratch
      assertEquals(b, a.substring(a.lastIndexOf(BANNER)));
      Vm vmA = live.machines.get(0).vm();
      assertTrue(vmA.retired() > before, "the VMM's count of a's instructions goes on across the reset");
    }
  }

  @Test
  void aPausedVmIsResetAndStaysPausedUntilResumed() throws Exception {
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    try (LiveVmm live = new LiveVmm("round-robin", guests)) {
      LiveVmm.await(() -> live.output("a").contains(BANNER), "a's first boot");
      live.run("pause a");
      live.run("reset a");
      assertEquals("paused", live.run("info vm a").data().get("state").asText());
      assertEquals(1, count(live.output("a"), BANNER), "no second boot while paused");
      live.run("resume a");
      LiveVmm.await(() -> count(live.output("a"), BANNER) == 2, "a's second boot after resume");
    }
  }

  @Test
  void aKernelUnderTheVmmsSbiIsResetWithItsSbiAndBothHartsAgain() throws Exception {
    dev.ovm.vmm.time.Clock clock = dev.ovm.manager.machine.MachineBuilder.clockFor(true);
    dev.ovm.vmm.Vmm vmm = new dev.ovm.vmm.Vmm(clock, dev.ovm.manager.machine.MachineBuilder.INSTRUCTIONS_PER_TICK);
    dev.ovm.vmm.pool.CpuPool pool = vmm.createPool("pool0", 2, dev.ovm.policies.Policies.create("round-robin"),
        () -> dev.ovm.policies.Policies.create("round-robin"), 100_000_000L);
    StringBuffer out = new StringBuffer();
    dev.ovm.manager.machine.MachineConfig config = new dev.ovm.manager.machine.MachineConfig("s",
        java.util.Optional.of(dev.ovm.manager.OvmRunner.GUEST_BIN.resolve("sbi-payload.elf")),
        java.util.Optional.empty(), 16L << 20, 2, "", java.util.Optional.empty(), true);
    try (dev.ovm.manager.machine.Machine machine =
        new dev.ovm.manager.machine.MachineBuilder(config, clock, b -> out.append((char) b)).build()) {
      vmm.addVm(machine.vm(), pool);
      boolean[] reset = new boolean[1];
      vmm.addRoundListener((v, now) -> {
        if (!reset[0] && out.toString().contains("hello from the ovm SBI payload")) {
          reset[0] = true;
          v.reset(machine.vm(), machine::reset);
        }
      });
      Map<Vm, StopReason> ended = vmm.run(new dev.ovm.vmm.RunLimits(10_000_000, java.time.Duration.ofMinutes(1), 500));
      assertEquals(0, ended.get(machine.vm()).exitStatus(), out.toString());
      assertEquals(StopReason.Kind.GUEST_POWER_OFF, ended.get(machine.vm()).kind(), out.toString());
      assertEquals(2, count(out.toString(), "hello from the ovm SBI payload"), out.toString());
      assertEquals(1, count(out.toString(), "shutting down through SBI SRST"), out.toString());
      assertEquals(1, count(out.toString(), "HSM: hart 1 started with opaque 0x5eed"),
          "the first boot was reset before it started hart 1; the second one did:\n" + out);
    }
  }
}
