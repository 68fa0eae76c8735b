package dev.ovm.manager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in {@code --control}, {@code --pool} and the ctl/console subcommands: one line, status 2. */
class ControlOptionsTest {
  @TempDir Path dir;

  private static void assertOneLineError(OvmRunner.Result result, String expected) {
    assertEquals(2, result.status(), result.messages());
    String[] lines = result.messages().strip().split("\n");
    assertEquals(1, lines.length, result.messages());
    assertTrue(lines[0].startsWith("ovm: ") && lines[0].contains(expected), lines[0] + " should mention: " + expected);
  }

  @Test
  void badPools() {
    assertOneLineError(OvmRunner.run("run", "--pool", "batch"), "--pool batch: expected NAME:POLICY[:PCPUS]");
    assertOneLineError(OvmRunner.run("run", "--pool", "batch:lottery"), "unknown policy 'lottery'");
    assertOneLineError(OvmRunner.run("run", "--pool", "batch:credit:0"), "physical CPUs must be between 1 and 256");
    assertOneLineError(OvmRunner.run("run", "--pool", "batch:credit:x"), "'x' is not a number");
    assertOneLineError(OvmRunner.run("run", "--pool", "pool0:credit"), "a pool named pool0 exists already");
  }

  @Test
  void aControlSocketThatCannotBeCreated() {
    assertOneLineError(OvmRunner.run("run", "--control", dir.resolve("no/such/dir/ovm.sock").toString()),
        "cannot listen on --control");
  }

  @Test
  void ctlAndConsoleWithoutAVmm() {
    assertOneLineError(OvmRunner.run("ctl", dir.resolve("none.sock").toString(), "info", "vms"), "cannot connect to ");
    assertOneLineError(OvmRunner.run("console", dir.resolve("none.sock").toString()), "cannot connect to ");
    assertOneLineError(OvmRunner.run("ctl", dir.resolve("none.sock").toString(), "info"), "usage: info vms");
    assertOneLineError(OvmRunner.run("ctl", dir.resolve("none.sock").toString()), "COMMAND");
  }
}
