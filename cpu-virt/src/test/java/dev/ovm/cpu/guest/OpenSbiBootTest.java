package dev.ovm.cpu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Boots the distribution's OpenSBI (fw_jump, M-mode) with the project's S-mode SBI payload on one
 * hart: OpenSBI probes CSRs, PMP and counters, sets up delegation and the timer through the CLINT,
 * prints its banner, MRETs to the payload at 0x8020_0000, serves its ecalls and finally powers off
 * through the test finisher. The device tree is miniboard.dts beside this class's resources.
 * Skipped (reported as such) where the opensbi package is not installed.
 */
class OpenSbiBootTest {
  private static final Path FW_JUMP = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin");
  private static final Path PAYLOAD = Path.of("..", "guests", "bin", "sbi-payload.bin");
  private static final long DTB_ADDRESS = 0x87E0_0000L;

  @Test
  void openSbiRunsThePayloadAndPowersOff() throws Exception {
    assumeTrue(Files.isRegularFile(FW_JUMP), "opensbi is not installed");
    assertTrue(Files.isRegularFile(PAYLOAD), "missing " + PAYLOAD.toAbsolutePath());
    try (MiniBoard board = new MiniBoard();
        InputStream dtb = OpenSbiBootTest.class.getResourceAsStream("miniboard.dtb")) {
      assertNotNull(dtb);
      board.loadRaw(Files.readAllBytes(FW_JUMP), MiniBoard.RAM_BASE);
      board.loadRaw(Files.readAllBytes(PAYLOAD), MiniBoard.RAM_BASE + 0x20_0000);
      board.loadRaw(dtb.readAllBytes(), DTB_ADDRESS);
      board.hart.reset(MiniBoard.RAM_BASE);
      board.hart.setX(10, 0); // a0 = hart id
      board.hart.setX(11, DTB_ADDRESS); // a1 = device tree
      long exit = board.run(100_000_000);
      String out = board.console.toString();
      assertEquals(0, exit, out);
      assertTrue(out.contains("OpenSBI"), out);
      assertTrue(out.contains("hello from the ovm SBI payload"), out);
      assertTrue(out.contains("SBI specification version"), out);
    }
  }
}
