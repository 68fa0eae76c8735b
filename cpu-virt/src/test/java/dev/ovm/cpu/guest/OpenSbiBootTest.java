package dev.ovm.cpu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ovm.cpu.Asm;
import dev.ovm.cpu.CsrAddress;
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

  /**
   * S-mode code under Sv39 makes a misaligned load and a misaligned store; the hart traps them to
   * M-mode (its choice), and OpenSBI emulates them with MPRV byte accesses that go through this
   * hart's Sv39 translation. Then the code powers off through SBI SRST.
   */
  @Test
  void openSbiEmulatesMisalignedAccessesThroughMprv() throws Exception {
    assumeTrue(Files.isRegularFile(FW_JUMP), "opensbi is not installed");
    long payload = MiniBoard.RAM_BASE + 0x20_0000;
    long root = MiniBoard.RAM_BASE + 0x40_0000;
    long data = MiniBoard.RAM_BASE + 0x30_0000;
    try (MiniBoard board = new MiniBoard();
        InputStream dtb = OpenSbiBootTest.class.getResourceAsStream("miniboard.dtb")) {
      assertNotNull(dtb);
      board.loadRaw(Files.readAllBytes(FW_JUMP), MiniBoard.RAM_BASE);
      board.loadRaw(dtb.readAllBytes(), DTB_ADDRESS);
      // one gigapage: VA 0x8000_0000 -> PA 0x8000_0000, V R W X A D
      board.bus.store(root + 2 * 8, 8, (MiniBoard.RAM_BASE >>> 12) << 10 | 0xCF);
      for (int i = 0; i < 32; i++) {
        board.bus.store(data + i, 1, 0x10 + i);
      }
      Asm code = new Asm(payload);
      code.li(Asm.T0, 8L << 60 | root >>> 12).csrw(CsrAddress.SATP, Asm.T0).sfenceVma(0, 0);
      code.li(Asm.A0, data + 1).ld(Asm.S1, Asm.A0, 0); // misaligned load
      code.li(Asm.A0, data + 0x40).sd(Asm.S1, Asm.A0, 0); // keep it: M-mode owns the registers at the end
      code.li(Asm.A2, 0x1122_3344_5566_7788L).li(Asm.A0, data + 0x13).sd(Asm.A2, Asm.A0, 0);
      code.li(17, 0x5352_5354L).li(16, 0).li(Asm.A0, 0).li(Asm.A1, 0).ecall(); // SBI SRST shutdown
      code.halt();
      board.loadRaw(code.bytes(), payload);
      board.hart.reset(MiniBoard.RAM_BASE);
      board.hart.setX(11, DTB_ADDRESS);
      long exit = board.run(100_000_000);
      assertEquals(0, exit, board.console.toString());
      assertEquals(0x1817_1615_1413_1211L, board.bus.load(data + 0x40, 8), "emulated misaligned load");
      assertEquals(0x1122_3344_5566_7788L, board.bus.load(data + 0x13, 1)
          | board.bus.load(data + 0x14, 1) << 8 | board.bus.load(data + 0x15, 1) << 16
          | board.bus.load(data + 0x16, 1) << 24 | board.bus.load(data + 0x17, 1) << 32
          | board.bus.load(data + 0x18, 1) << 40 | board.bus.load(data + 0x19, 1) << 48
          | board.bus.load(data + 0x1A, 1) << 56, "emulated misaligned store");
    }
  }
}
