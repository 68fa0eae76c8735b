package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.Ovm;
import dev.ovm.manager.OvmRunner;
import dev.ovm.manager.console.ConsoleStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ovm run --control} driven by {@code ovm ctl}, exactly as typed: the "swapping
 * the scheduler mid-run ... from the console keeps every guest running to its normal end with its
 * output unchanged", and ctl's output and exit statuses.
 */
@org.junit.jupiter.api.Timeout(600)
class ControlEndToEndTest {
  private static final String BENCH = OvmRunner.GUEST_BIN.resolve("bench.elf").toString();
  @TempDir Path dir;

  /** What one {@code ovm ctl} printed and returned. */
  record Ctl(int status, String out, String err) {}

  static Ctl ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    int status = Ovm.execute(all,
        new ConsoleStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), false),
        new PrintWriter(out, true), new PrintWriter(err, true));
    return new Ctl(status, out.toString(), err.toString());
  }

  private static String[] runArgs(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "-q", "--clock", "realtime", "--pcpus", "2",
        "--vm", "name=a,kernel=" + BENCH, "--vm", "name=b,kernel=" + BENCH));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  /** The lines VM {@code vm} printed, in order (the VMs' lines interleave differently each run). */
  private static List<String> linesOf(String console, String vm) {
    List<String> lines = new ArrayList<>();
    for (String line : console.split("\n")) {
      if (line.startsWith(vm + "| ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void swappingTheSchedulerFromTheConsoleKeepsEveryGuestRunningToItsNormalEndWithItsOutputUnchanged()
      throws Exception {
    OvmRunner.Result baseline = OvmRunner.run(runArgs());
    assertEquals(0, baseline.status(), baseline.messages());
    Path sock = dir.resolve("ovm.sock");
    CompletableFuture<OvmRunner.Result> run =
        CompletableFuture.supplyAsync(() -> OvmRunner.run(runArgs("--control", sock.toString())));
    LiveVmm.await(() -> ctl(sock.toString(), "info", "vms").status() == 0 || run.isDone(), "the socket");
    List<String> swaps = List.of("credit", "fair-share", "gang", "null", "edf", "round-robin");
    for (String policy : swaps) {
      Ctl swap = ctl(sock.toString(), "swap", "pool0", policy);
      assertEquals(0, swap.status(), swap.err());
      assertTrue(swap.out().startsWith("pool0: ") && swap.out().contains(" -> " + policy + " via "), swap.out());
    }
    Ctl info = ctl(sock.toString(), "info", "vms");
    assertEquals(2, info.out().split("\n").length - 1, info.out());
    assertTrue(info.out().contains("running"), "the swaps happened mid-run: " + info.out());
    OvmRunner.Result swapped = run.get(5, TimeUnit.MINUTES);
    assertEquals(0, swapped.status(), swapped.messages());
    for (String vm : List.of("a", "b")) {
      List<String> expected = linesOf(baseline.console(), vm);
      assertTrue(expected.stream().anyMatch(l -> l.contains("checksum 0xb3dc OK")), baseline.console());
      assertEquals(expected, linesOf(swapped.console(), vm), "VM " + vm + "'s output");
    }
  }

  @Test
  void ctlPrintsResultsAndExitsWithZeroOneOrTwo() throws Exception {
    Path sock = dir.resolve("ovm.sock");
    CompletableFuture<OvmRunner.Result> run = CompletableFuture.supplyAsync(
        () -> OvmRunner.run(runArgs("--control", sock.toString(), "--pool", "batch:credit:1")));
    LiveVmm.await(() -> ctl(sock.toString(), "info", "vms").status() == 0 || run.isDone(), "the socket");
    Ctl policies = ctl(sock.toString(), "policies");
    assertEquals(new Ctl(0, "round-robin\ncredit\nfair-share\nedf\ngang\nnull\n", ""), policies);
    Ctl json = ctl("--json", sock.toString(), "info", "vm", "a");
    assertEquals(0, json.status(), json.err());
    assertTrue(json.out().contains("\"name\" : \"a\""), json.out());
    Ctl refused = ctl(sock.toString(), "pause", "zz");
    assertEquals(new Ctl(1, "", "ovm: no VM named 'zz' (VMs: a, b)\n"), refused);
    Ctl malformed = ctl(sock.toString(), "swap", "pool0");
    assertEquals(new Ctl(2, "", "ovm: swap: missing POLICY (usage: swap POOL POLICY)\n"), malformed);
    Ctl noServer = ctl(dir.resolve("nothing.sock").toString(), "info", "vms");
    assertEquals(2, noServer.status());
    assertTrue(noServer.err().startsWith("ovm: cannot connect to "), noServer.err());
    assertEquals(new Ctl(0, "a: pool0 -> batch\n", ""), ctl(sock.toString(), "move", "a", "batch"));
    assertTrue(ctl(sock.toString(), "info", "pools").out().contains("batch          1 credit       a"),
        ctl(sock.toString(), "info", "pools").out());
    Ctl quit = ctl(sock.toString(), "quit");
    assertEquals(new Ctl(0, "stopping every VM\n", ""), quit);
    OvmRunner.Result result = run.get(2, TimeUnit.MINUTES);
    assertEquals(0, result.status(), result.messages());
  }
}
