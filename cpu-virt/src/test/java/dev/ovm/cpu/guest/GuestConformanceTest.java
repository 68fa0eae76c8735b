package dev.ovm.cpu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the project's bare-metal conformance guests (guests/bin, built from guests/tests, checked
 * against QEMU) on one hart with stand-in devices, and requires a PASS with no deviation from the
 * spec and no failed check.
 */
class GuestConformanceTest {
  private static final Path BIN = Path.of("..", "guests", "bin");

  @ParameterizedTest
  @ValueSource(strings = {
    "test-rv64i", "test-rv64m", "test-rv64a", "test-rv64c", "test-zicsr", "test-zifencei",
    "test-traps", "test-interrupts", "test-sv39"
  })
  void guestPasses(String name) throws Exception {
    Path elf = BIN.resolve(name + ".elf");
    assertTrue(Files.isRegularFile(elf), "missing " + elf.toAbsolutePath());
    try (MiniBoard board = new MiniBoard()) {
      board.hart.reset(board.loadElf(elf));
      long exit = board.run(50_000_000);
      String out = board.console.toString();
      assertEquals(0, exit, out);
      assertTrue(out.contains("PASS"), out);
      assertFalse(out.contains("not ok"), out);
      assertFalse(out.contains("# deviation:"), out);
    }
  }
}
