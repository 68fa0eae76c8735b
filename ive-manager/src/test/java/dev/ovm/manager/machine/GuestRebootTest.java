package dev.ovm.manager.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest's own reboot request (the test finisher's reset value, as Linux's {@code reboot} writes
 * through the {@code syscon-reboot} node) resets its VM, as QEMU does; {@code -no-reboot} ends the
 * VM instead.
 */
class GuestRebootTest {
  /**
   * An M-mode raw image that prints "B" and asks for a reset, for ever. Assembled with
   * {@code riscv64-unknown-elf-as -march=rv64i} from:
   *
   * <pre>
   *   lui t0, 0x10000; li t1, 'B'; sb t1, 0(t0); li t1, '\n'; sb t1, 0(t0)   # UART THR
   *   lui t2, 0x100; lui t3, 0x7; addi t3, t3, 0x777; sw t3, 0(t2)         # finisher: 0x7777
   * 1: j 1b
   * </pre>
   */
  private static final int[] REBOOTER = {
    0x100002b7, 0x04200313, 0x00628023, 0x00a00313, 0x00628023,
    0x001003b7, 0x00007e37, 0x777e0e13, 0x01c3a023, 0x0000006f,
  };

  @TempDir Path dir;

  private Path rebooter() throws Exception {
    ByteBuffer code = ByteBuffer.allocate(REBOOTER.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : REBOOTER) {
      code.putInt(word);
    }
    Path image = dir.resolve("rebooter.bin");
    Files.write(image, code.array());
    return image;
  }

  @Test
  void aRebootRequestResetsTheVmAndItBootsAgain() throws Exception {
    OvmRunner.Result r =
        OvmRunner.run("run", "-kernel", rebooter().toString(), "--max-insns", "100000", "-q");
    // only the instruction limit ends it; a reset is applied between rounds (10,000 instructions)
    assertEquals(125, r.status(), r.messages());
    long boots = r.console().lines().filter("B"::equals).count();
    assertTrue(boots >= 3, "booted " + boots + " times: " + r.console());
  }

  @Test
  void withNoRebootTheRequestEndsTheVm() throws Exception {
    OvmRunner.Result r =
        OvmRunner.run("run", "-kernel", rebooter().toString(), "-no-reboot", "--max-insns", "20000");
    assertEquals(0, r.status(), r.messages());
    assertEquals("B\n", r.console()); // one boot: the request ended the VM
  }
}
