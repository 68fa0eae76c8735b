package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each command's effect on a live VMM running two copies of the project's CPU-bound guest
 * ({@code guests/bin/bench.elf}) on one physical CPU.
 */
class VmmControlTest {
  private static Map<String, String> twoBenches() {
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    guests.put("b", "bench.elf");
    return guests;
  }

  private static long instructions(LiveVmm live, String vm) {
    return live.run("info vm " + vm).data().get("instructions").asLong();
  }

  private static String error(LiveVmm live, String line) {
    return assertThrows(ControlError.class, () -> live.run(line)).getMessage();
  }

  @Test
  void infoShowsVmsPoolsAndAVmsPolicyParameters() throws Exception {
    try (LiveVmm live = new LiveVmm("credit", twoBenches())) {
      JsonNode vms = live.run("info vms").data();
      assertEquals(2, vms.size());
      assertEquals("a", vms.get(0).get("name").asText());
      assertEquals("running", vms.get(0).get("state").asText());
      assertEquals("pool0", vms.get(1).get("pool").asText());
      JsonNode pools = live.run("info pools").data();
      assertEquals("credit", pools.get(0).get("policy").asText());
      assertEquals(2, pools.get(0).get("vms").size());
      assertEquals(0, pools.get(1).get("vms").size(), "pool1 is empty");
      Reply a = live.run("info vm a");
      assertEquals("256", a.data().get("parameters").get("weight").asText(), "credit's default weight");
      assertTrue(a.text().contains("pool:         pool0 (credit)"), a.text());
      Reply stats = live.run("stats");
      assertEquals(2, stats.data().size());
      assertEquals("running", stats.data().get(0).get("state").asText());
      assertTrue(stats.text().startsWith("vm "), stats.text());
    }
  }

  @Test
  void setPoolChangesPoolWideParametersAsOneSet() throws Exception {
    try (LiveVmm live = new LiveVmm("credit", twoBenches())) {
      String slice = live.run("info pools").data().get(0).get("parameters").get("slice").asText();
      Reply set = live.run("set-pool pool0 slice=20000000");
      assertEquals("20000000", set.data().get("parameters").get("slice").asText());
      assertTrue(set.text().startsWith("pool pool0: "), set.text());
      JsonNode pools = live.run("info pools").data();
      assertEquals("20000000", pools.get(0).get("parameters").get("slice").asText());
      assertTrue(live.run("info pools").text().contains("(slice=20000000)"));
      assertTrue(error(live, "set-pool pool0 slice=0").startsWith("pool pool0: "));
      assertEquals("20000000",
          live.run("info pools").data().get(0).get("parameters").get("slice").asText());
      assertTrue(error(live, "set-pool pool0 frobs=1").contains("frobs"));
      // one bad value refuses the whole set: fair-share's latency keeps its value
      live.run("swap pool0 fair-share");
      String latency = live.run("info pools").data().get(0).get("parameters").get("latency").asText();
      String refused = error(live, "set-pool pool0 latency=7000000 granularity=0");
      assertTrue(refused.startsWith("pool pool0: "), refused);
      assertEquals(latency,
          live.run("info pools").data().get(0).get("parameters").get("latency").asText());
      assertTrue(error(live, "set-pool nopool slice=1").contains("nopool"));
      assertTrue(!slice.equals("20000000"), "the default differs from the value set: " + slice);
      // round-robin's pool-wide quantum in the other pool
      assertEquals("250000",
          live.run("set-pool pool1 quantum=250000").data().get("parameters").get("quantum").asText());
    }
  }

  @Test
  void infoVmShowsWhatTranslationDid() throws Exception {
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      LiveVmm.await(() -> live.run("info vm a").data().get("translation").get("blocks").asLong() > 0,
          "a's benchmark loops to be translated");
      Reply a = live.run("info vm a");
      JsonNode translation = a.data().get("translation");
      assertTrue(translation.get("instructions").asLong() > 0, translation.toString());
      assertTrue(translation.get("instructions").asLong() <= a.data().get("instructions").asLong()
          + 10_000, "no more instructions in blocks than retired: " + a.data());
      assertTrue(a.text().contains("translation:  "), a.text());
      assertTrue(a.text().contains(" % of instructions in them"), a.text());
    }
  }

  @Test
  void pauseHoldsOnlyThatVmAndResumeLetsItRunAgain() throws Exception {
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      assertEquals("a paused", live.run("pause a").text());
      assertEquals("paused", live.run("info vm a").data().get("state").asText());
      long a = instructions(live, "a");
      long b = instructions(live, "b");
      LiveVmm.await(() -> instructions(live, "b") > b + 20_000_000, "b to run on");
      assertEquals(a, instructions(live, "a"), "a paused VM retires nothing");
      assertEquals("VM a is PAUSED, not running", error(live, "pause a"));
      assertEquals("a resumed", live.run("resume a").text());
      LiveVmm.await(() -> instructions(live, "a") > a + 20_000_000, "a to run again");
      assertEquals("VM b is RUNNING, not paused", error(live, "resume b"));
    }
  }

  @Test
  void setAppliesParametersAsASetAndARefusedSetChangesNothing() throws Exception {
    try (LiveVmm live = new LiveVmm("credit", twoBenches())) {
      assertEquals("a: cap=50 weight=512", live.run("set a weight=512 cap=50").text());
      String refused = error(live, "set a weight=300 cap=500");
      assertTrue(refused.startsWith("a: credit parameter cap=500: "), refused);
      JsonNode parameters = live.run("info vm a").data().get("parameters");
      assertEquals("512", parameters.get("weight").asText(), "the weight applied before the refused cap was put back");
      assertEquals("50", parameters.get("cap").asText());
      String unknown = error(live, "set a colour=blue");
      assertTrue(unknown.contains("colour"), unknown);
    }
  }

  @Test
  void swapReportsTheFormatAndARefusedSwapChangesNothing() throws Exception {
    try (LiveVmm live = new LiveVmm("credit", twoBenches())) {
      Reply swap = live.run("swap pool0 fair-share");
      assertEquals("PROPORTIONAL_SHARE", swap.data().get("format").asText(), "credit -> fair-share keeps shares");
      assertTrue(swap.text().startsWith("pool0: credit -> fair-share via PROPORTIONAL_SHARE (pause "), swap.text());
      assertEquals("unknown policy 'lottery' (known: round-robin, credit, fair-share, edf, gang, null)",
          error(live, "swap pool0 lottery"));
      assertEquals("no pool named 'pool9' (pools: pool0, pool1)", error(live, "swap pool9 credit"));
      assertEquals("fair-share", live.run("info pools").data().get(0).get("policy").asText());
      long a = instructions(live, "a");
      LiveVmm.await(() -> instructions(live, "a") > a + 10_000_000, "a to run under the new policy");
    }
  }

  @Test
  void moveTakesAVmToTheOtherPoolWhereItRunsOn() throws Exception {
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      assertEquals("a: pool0 -> pool1", live.run("move a pool1").text());
      assertEquals("pool1", live.run("info vm a").data().get("pool").asText());
      assertEquals("[\"a\"]", live.run("info pools").data().get(1).get("vms").toString());
      long a = instructions(live, "a");
      LiveVmm.await(() -> instructions(live, "a") > a + 10_000_000, "a to run in pool1");
    }
  }

  @Test
  void destroyEndsOnlyThatVm() throws Exception {
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      assertEquals("b destroyed", live.run("destroy b").text());
      LiveVmm.await(() -> live.run("info vm b").data().get("state").asText().equals("stopped"), "b to stop");
      assertEquals("destroyed by the operator", live.run("info vm b").data().get("ended").asText());
      assertEquals("VM b has ended", error(live, "pause b"));
      assertEquals("running", live.run("info vm a").data().get("state").asText());
    }
  }

  @Test
  void unknownVmsAreOneLineErrorsNamingTheVms() throws Exception {
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      assertEquals("no VM named 'zz' (VMs: a, b)", error(live, "pause zz"));
      assertEquals("no VM named 'zz' (VMs: a, b)", error(live, "info vm zz"));
      assertEquals("no pool named 'nowhere' (pools: pool0, pool1)", error(live, "move a nowhere"));
      assertEquals("running", live.run("info vm a").data().get("state").asText(), "nothing changed");
    }
  }

  @Test
  void quitStopsEveryVmAndLaterCommandsSayTheVmmStopped() throws Exception {
    LiveVmm live = new LiveVmm("round-robin", twoBenches());
    try (live) {
      assertEquals("stopping every VM", live.run("quit").text());
      Map<Vm, StopReason> ended = live.end();
      assertEquals(2, ended.size());
      for (StopReason reason : ended.values()) {
        assertEquals(StopReason.Kind.USER, reason.kind());
        assertEquals(0, reason.exitStatus());
      }
      assertEquals("the VMM has stopped", error(live, "info vms"));
      assertEquals("round-robin", live.run("policies").data().get(0).asText(), "policies needs no VMM");
    }
  }
}
