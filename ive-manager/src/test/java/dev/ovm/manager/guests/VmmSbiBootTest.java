package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -bios none} with an S-mode kernel: the VMM serves SBI. The project's SBI payload (an ELF
 * entered at 0x8020_0000) prints through DBCN, starts the second hart through HSM (which stops
 * itself) and powers off through SRST; a raw image with the
 * Linux Image header is entered in S-mode, the same bytes without the header in M-mode.
 */
class VmmSbiBootTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} hart(s)")
  @ValueSource(ints = {1, 2})
  void theSbiPayloadRunsWithoutFirmware(int harts) {
    OvmRunner.Result result = OvmRunner.run("run",
        "-kernel", OvmRunner.GUEST_BIN.resolve("sbi-payload.elf").toString(),
        "-smp", Integer.toString(harts), "--timeout", "60", "-q");
    String console = result.console();
    assertFalse(console.contains("OpenSBI"), console);
    assertTrue(console.contains("hello from the ovm SBI payload (S-mode, hart 0, DTB 0x"), console);
    assertTrue(console.contains("console: SBI DBCN extension"), console);
    assertTrue(console.contains("SBI specification version 2.0"), console);
    assertTrue(console.contains("SBI implementation: ovm (id 7304813), version 0x1"), console);
    assertTrue(console.contains(harts == 1
        ? "HSM: one hart only"
        : "HSM: hart 1 started with opaque 0x5eed and stopped itself"), console);
    assertTrue(console.contains("shutting down through SBI SRST"), console);
    assertFalse(console.contains("SRST unavailable or failed"), console);
    assertEquals(0, result.status(), result.messages());
  }

  /** Prints 'S' with the legacy console_putchar, then SRST shutdown; 36 bytes. */
  private static final int[] PUTCHAR_THEN_SHUTDOWN = {
    0x00100893, // li a7, 1            (legacy console_putchar)
    0x05300513, // li a0, 'S'
    0x00000073, // ecall
    0x535258B7, // lui a7, 0x53525
    0x3548889B, // addiw a7, a7, 0x354 (a7 = 0x53525354, SRST)
    0x00000813, // li a6, 0            (system_reset)
    0x00000513, // li a0, 0            (shutdown)
    0x00000593, // li a1, 0            (no reason)
    0x00000073, // ecall
  };

  private Path image(boolean linuxHeader) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : PUTCHAR_THEN_SHUTDOWN) {
      bytes.putInt(word);
    }
    if (linuxHeader) {
      bytes.put(0x38, new byte[] {'R', 'S', 'C', 0x05}); // Image header magic2
    }
    Path file = dir.resolve(linuxHeader ? "Image" : "raw.bin");
    Files.write(file, bytes.array());
    return file;
  }

  @Test
  void aLinuxImageIsEnteredInSupervisorModeWithTheVmmsSbi() throws IOException {
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", image(true).toString(), "--timeout", "20", "-q");
    assertEquals("S", result.console());
    assertEquals(0, result.status(), result.messages());
  }

  @Test
  void theSameCodeWithoutTheHeaderRunsInMachineModeAsBefore() throws IOException {
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", image(false).toString(), "--timeout", "20", "-q");
    assertEquals("", result.console(), "ECALL from M-mode traps to mtvec: no SBI");
    assertEquals(3, result.status(), result.messages());
  }
}
