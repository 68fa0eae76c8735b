package dev.ovm.manager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear {@code ovm:} line and status 2, never a stack trace. */
class RunErrorsTest {
  @TempDir Path dir;

  private static void assertOneLineError(OvmRunner.Result result, String expected) {
    assertEquals(2, result.status(), result.messages());
    String[] lines = result.messages().strip().split("\n");
    assertEquals(1, lines.length, "exactly one line expected:\n" + result.messages());
    assertTrue(lines[0].startsWith("ovm: "), lines[0]);
    assertTrue(lines[0].contains(expected), lines[0] + " should mention: " + expected);
    assertFalse(result.messages().contains("Exception"), result.messages());
  }

  @Test
  void unknownFlag() {
    assertOneLineError(OvmRunner.run("run", "-frobnicate"), "-frobnicate");
  }

  @Test
  void missingKernelFile() {
    assertOneLineError(OvmRunner.run("run", "-kernel", dir.resolve("nope.elf").toString()), "no such file");
  }

  @Test
  void malformedElf() throws IOException {
    Path bad = dir.resolve("bad.elf");
    byte[] bytes = new byte[64];
    bytes[0] = 0x7f;
    bytes[1] = 'E';
    bytes[2] = 'L';
    bytes[3] = 'F';
    bytes[4] = 1; // ELFCLASS32
    Files.write(bad, bytes);
    assertOneLineError(OvmRunner.run("run", "-kernel", bad.toString()), "bad.elf");
  }

  @Test
  void ramTooSmallForTheImage() throws IOException {
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[3 << 20]);
    assertOneLineError(OvmRunner.run("run", "-kernel", big.toString(), "-m", "2M"), "big.bin");
  }

  @Test
  void unknownCpuModel() {
    assertOneLineError(OvmRunner.run("run", "-cpu", "rv64,sstc=maybe"), "-cpu must be rv64");
    assertOneLineError(OvmRunner.run("run", "-cpu", "rv64,sstc=off", "--vm", "kernel=x.elf"), "-cpu applies to a single VM");
  }

  @Test
  void badAccel() {
    for (String accel : List.of("tcg", "translate,threshold=0", "translate,threshold=-3",
        "translate,threshold=many", "translate,")) {
      assertOneLineError(OvmRunner.run("run", "-accel", accel), "-accel must be translate");
    }
  }

  @Test
  void badMemorySize() {
    assertOneLineError(OvmRunner.run("run", "-m", "lots"), "lots");
  }

  @Test
  void badHartCount() {
    assertOneLineError(OvmRunner.run("run", "-smp", "0"), "-smp");
  }

  @Test
  void timeoutEndsAnEndlessGuestWithStatus124() throws IOException {
    Path spin = dir.resolve("spin.bin");
    Files.write(spin, new byte[] {0x6f, 0, 0, 0});
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", spin.toString(), "--timeout", "0.2");
    assertEquals(124, result.status(), result.messages());
  }

  @Test
  void aGuestStuckInAnUnhandledTrapLoopEndsWithStatus3() throws IOException {
    Path garbage = dir.resolve("garbage.bin");
    Files.write(garbage, new byte[16]); // all-zero: illegal instruction, and mtvec = 0 holds nothing
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", garbage.toString(), "--timeout", "60");
    assertEquals(3, result.status(), result.messages());
  }

  @Test
  void instructionLimitEndsTheRunWithStatus125() {
    OvmRunner.Result result = OvmRunner.run("run", "--max-insns", "1000", "-q");
    assertEquals(125, result.status(), result.messages());
  }

  @Test
  void ctrlAXQuitsAnEndlessGuestWithStatusZero() throws IOException {
    Path spin = dir.resolve("spin.bin");
    Files.write(spin, new byte[] {0x6f, 0, 0, 0}); // jal x0, 0: loops forever
    OvmRunner.Result result =
        OvmRunner.run(new byte[] {'a', 0x01, 'x'}, "run", "-kernel", spin.toString(), "--timeout", "60");
    // 0, not the timeout's 124: the escape sequence stopped the VM
    assertEquals(0, result.status(), result.messages());
  }
}
