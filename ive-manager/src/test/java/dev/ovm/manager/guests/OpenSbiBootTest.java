package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import dev.ovm.manager.machine.MachineBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Debian's own OpenSBI (package {@code opensbi}, installed by {@code scripts/deps.sh}) boots on the
 * board and hands over to the project's S-mode payload, which prints through SBI and powers off
 * through SBI SRST.
 */
class OpenSbiBootTest {
  static final Path FIRMWARE = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic");

  @ParameterizedTest(name = "{0} with {1} hart(s)")
  @CsvSource({"fw_jump.bin, 1", "fw_jump.bin, 2", "fw_dynamic.bin, 2", "fw_jump.elf, 4"})
  void openSbiBootsAndRunsThePayload(String firmware, int harts) {
    Path bios = FIRMWARE.resolve(firmware);
    assertTrue(Files.isRegularFile(bios), bios + " is missing: run scripts/deps.sh (Debian package opensbi)");
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
    assertTrue(console.contains("Platform Name             : riscv-virtio,qemu"), console);
    assertTrue(console.contains("Platform HART Count       : " + harts), console);
    // OpenSBI prints misa's letters: the base of the ISA string the device tree advertises
    String base = MachineBuilder.ISA.split("_")[0];
    assertTrue(
        java.util.regex.Pattern.compile("Boot HART Base ISA +: " + base + "\\s").matcher(console).find(),
        console);
    assertTrue(console.contains("hello from the ovm SBI payload (S-mode"), console);
    assertTrue(console.contains("shutting down through SBI SRST"), console);
    assertEquals(0, result.status(), console + result.messages());
  }
}
