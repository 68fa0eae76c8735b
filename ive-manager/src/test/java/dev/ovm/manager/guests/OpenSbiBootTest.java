package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import dev.ovm.manager.machine.MachineBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Debian's own OpenSBI (package {@code opensbi}, installed by {@code scripts/deps.sh}) boots on the
 * board and hands over to the project's S-mode payload, which prints through SBI and powers off
 * through SBI SRST.
 */
class OpenSbiBootTest {
  /** The machine's Debian OpenSBI (bookworm: 1.1, no SBI debug console). */
  static final Path FIRMWARE = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic");

  /** Debian 13's OpenSBI (1.6, with the debug console), fetched by scripts/fetch-debian.sh. */
  static final Path TRIXIE_FIRMWARE =
      Path.of("..", ".ovm-cache", "debian", "trixie", "opensbi", "usr", "lib", "riscv64-linux-gnu", "opensbi", "generic");

  @ParameterizedTest(name = "{0} with {1} hart(s)")
  @CsvSource({"fw_jump.bin, 1", "fw_jump.bin, 2", "fw_dynamic.bin, 2", "fw_jump.elf, 4"})
  void openSbiBootsAndRunsThePayload(String firmware, int harts) {
    String console = boot(FIRMWARE.resolve(firmware), harts);
    assertTrue(console.contains("console: legacy console_putchar (no DBCN)"), console);
  }

  @ParameterizedTest(name = "trixie {0} with {1} hart(s)")
  @CsvSource({"fw_jump.bin, 2", "fw_dynamic.bin, 1"})
  void debian13OpenSbiGivesThePayloadTheSbiDebugConsole(String firmware, int harts) {
    String console = boot(TRIXIE_FIRMWARE.resolve(firmware), harts);
    assertTrue(console.contains("console: SBI DBCN extension"), console);
    assertTrue(console.contains("SBI specification version 2.0"), console);
    // OpenSBI 1.6 probes stimecmp and then programs it instead of the CLINT for its set_timer
    assertTrue(Pattern.compile("Boot HART ISA Extensions +: sstc").matcher(console).find(), console);
  }

  private static String boot(Path bios, int harts) {
    assertTrue(Files.isRegularFile(bios), bios + " is missing: run scripts/deps.sh");
    OvmRunner.Result result =
        OvmRunner.run(
            "run",
            "-bios", bios.toString(),
            "-kernel", OvmRunner.GUEST_BIN.resolve("sbi-payload.elf").toString(),
            "-smp", Integer.toString(harts),
            "--timeout", "120",
            "-q");
    String console = result.console();
    assertTrue(console.contains("OpenSBI v"), console);
    assertTrue(Pattern.compile("Platform Name +: riscv-virtio,qemu").matcher(console).find(), console);
    assertTrue(Pattern.compile("Platform HART Count +: " + harts + "\\s").matcher(console).find(), console);
    // OpenSBI prints misa's letters: the base of the ISA string the device tree advertises
    String base = MachineBuilder.ISA.split("_")[0];
    assertTrue(
        Pattern.compile("Boot HART Base ISA +: " + base + "\\s").matcher(console).find(),
        console);
    assertTrue(console.contains("hello from the ovm SBI payload (S-mode"), console);
    assertTrue(console.contains(harts == 1
        ? "HSM: one hart only"
        : "HSM: hart 1 started with opaque 0x5eed and stopped itself"), console);
    assertTrue(console.contains("shutting down through SBI SRST"), console);
    assertEquals(0, result.status(), console + result.messages());
    return console;
  }
}
