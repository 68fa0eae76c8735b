package dev.ovm.manager.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher's first experiment, through {@code ovm run} exactly as typed: the project's
 * CPU-bound guest ({@code guests/bin/bench.elf}) in several VMs on one physical CPU, and the shares
 * each policy promises, read from the {@code --stats-csv} report.
 */
class SchedulingExperimentTest {
  static final String BENCH = OvmRunner.GUEST_BIN.resolve("bench.elf").toString();
  @TempDir Path dir;

  /** Runs ovm with {@code args} plus a CSV report and returns instructions per VM. */
  private Map<String, Long> instructions(String... args) throws IOException {
    Path csv = dir.resolve("stats.csv");
    String[] all = new String[args.length + 3];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--stats-csv";
    all[args.length + 1] = csv.toString();
    all[args.length + 2] = "-q";
    OvmRunner.Result result = OvmRunner.run(all);
    assertEquals(125, result.status(), "expected the instruction limit to end the run: " + result.messages());
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals("vm,vcpus,instructions,share_percent,switches,wake_p50_us,wake_p95_us,wake_p99_us,status,ended", lines.get(0));
    Map<String, Long> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      out.put(cells[0], Long.parseLong(cells[2]));
    }
    return out;
  }

  private static void assertRatio(double expected, double actual, String what) {
    assertTrue(Math.abs(actual - expected) <= 0.05 * expected,
        what + ": expected " + expected + " within 5 %, got " + actual);
  }

  @Test
  void creditWeights256And512GiveOneToTwoOnOnePhysicalCpu() throws IOException {
    Map<String, Long> n = instructions("run", "--sched", "credit", "--pcpus", "1",
        "--vm", "name=light,kernel=" + BENCH + ",weight=256",
        "--vm", "name=heavy,kernel=" + BENCH + ",weight=512",
        // 20 whole accounting periods of 3 slices of 3,000,000 instructions
        "--max-insns", "180000000");
    assertRatio(2.0, (double) n.get("heavy") / n.get("light"), "heavy:light");
  }

  @Test
  void fairShareWeightsGiveOneToTwo() throws IOException {
    Map<String, Long> n = instructions("run", "--sched", "fair-share", "--pcpus", "1",
        "--vm", "name=light,kernel=" + BENCH + ",weight=512",
        "--vm", "name=heavy,kernel=" + BENCH + ",weight=1024",
        "--max-insns", "60000000");
    assertRatio(2.0, (double) n.get("heavy") / n.get("light"), "heavy:light");
  }

  @Test
  void aCreditCapOf25PercentHolds() throws IOException {
    Map<String, Long> n = instructions("run", "--sched", "credit", "--pcpus", "1",
        "--vm", "name=capped,kernel=" + BENCH + ",cap=25",
        "--vm", "name=free,kernel=" + BENCH,
        "--max-insns", "120000000");
    double share = (double) n.get("capped") / (n.get("capped") + n.get("free"));
    assertRatio(0.25, share, "capped share");
  }

  @Test
  void swappingTheSchedulerMidRunKeepsEveryGuestRunningToItsNormalEnd() {
    OvmRunner.Result result = OvmRunner.run("run", "--sched", "round-robin", "--pcpus", "2",
        "--vm", "name=a,kernel=" + OvmRunner.GUEST_BIN.resolve("test-rv64m.elf"),
        "--vm", "name=b,kernel=" + OvmRunner.GUEST_BIN.resolve("test-sv39.elf"),
        "--vm", "name=c,kernel=" + OvmRunner.GUEST_BIN.resolve("demo.elf"),
        "--swap-at", "200000:credit", "--swap-at", "400000:fair-share", "--swap-at", "600000:edf");
    assertEquals(0, result.status(), result.console() + result.messages());
    assertTrue(result.console().contains("a| PASS"), result.console());
    assertTrue(result.console().contains("b| PASS"), result.console());
    assertTrue(result.console().contains("c| demo done, powering off."), result.console());
    assertTrue(result.messages().contains("swap round-robin -> credit"), result.messages());
    assertTrue(result.messages().contains("swap credit -> fair-share at"), result.messages());
  }

  @Test
  void badSchedulingParametersAreOneLineErrors() {
    OvmRunner.Result zero = OvmRunner.run("run", "--sched", "credit", "--vm", "kernel=" + BENCH + ",weight=0");
    assertEquals(2, zero.status());
    assertTrue(zero.messages().startsWith("ovm: VM vm0: credit parameter weight=0: "), zero.messages());
    OvmRunner.Result budget = OvmRunner.run("run", "--sched", "edf", "--vm", "kernel=" + BENCH + ",period=1000000,budget=2000000");
    assertEquals(2, budget.status());
    assertTrue(budget.messages().contains("budget"), budget.messages());
    OvmRunner.Result cap = OvmRunner.run("run", "--sched", "credit", "--vm", "kernel=" + BENCH + ",smp=1,cap=150");
    assertEquals(2, cap.status());
    assertTrue(cap.messages().contains("cap"), cap.messages());
    OvmRunner.Result policy = OvmRunner.run("run", "--sched", "lottery");
    assertEquals(2, policy.status());
    assertTrue(policy.messages().contains("unknown scheduling policy 'lottery'"), policy.messages());
  }

  @Test
  void theSameMultiVmRunTwiceGivesTheSameOutputAndStatistics() throws IOException {
    String[] args = {"run", "--sched", "credit", "--pcpus", "2",
        "--vm", "name=a,kernel=" + BENCH + ",weight=300",
        "--vm", "name=b,kernel=" + OvmRunner.GUEST_BIN.resolve("test-interrupts.elf") + ",smp=1",
        "--vm", "name=c,kernel=" + OvmRunner.GUEST_BIN.resolve("demo.elf"),
        "--max-insns", "30000000", "-q", "--stats-csv", dir.resolve("1.csv").toString()};
    OvmRunner.Result first = OvmRunner.run(args);
    args[args.length - 1] = dir.resolve("2.csv").toString();
    OvmRunner.Result second = OvmRunner.run(args);
    assertEquals(first.console(), second.console());
    assertEquals(first.status(), second.status());
    assertEquals(Files.readString(dir.resolve("1.csv")), Files.readString(dir.resolve("2.csv")));
  }

  @Test
  void edfMeetsEveryDeadlineOfASchedulableSetAndRefusesAnOverloadedOne() {
    // two CPU-bound guests, each reserving 40 % of one physical CPU: utilisation 0.8
    OvmRunner.Result ok = OvmRunner.run("run", "--sched", "edf", "--pcpus", "1",
        "--vm", "name=a,kernel=" + BENCH + ",period=1000000,budget=400000",
        "--vm", "name=b,kernel=" + BENCH + ",period=500000,budget=200000",
        "--max-insns", "40000000");
    assertEquals(125, ok.status(), ok.messages());
    assertTrue(ok.messages().contains("[ovm] policy at exit: edf "), ok.messages());
    assertTrue(ok.messages().contains(" misses=0"), ok.messages());
    // 0.6 + 0.6 > 1 physical CPU: admission control refuses the second reservation
    OvmRunner.Result over = OvmRunner.run("run", "--sched", "edf", "--pcpus", "1",
        "--vm", "name=a,kernel=" + BENCH + ",period=1000000,budget=600000",
        "--vm", "name=b,kernel=" + BENCH + ",period=1000000,budget=600000",
        "--max-insns", "10000000");
    assertEquals(2, over.status(), over.messages());
    assertTrue(over.messages().startsWith("ovm: VM b: edf parameter"), over.messages());
  }
}
