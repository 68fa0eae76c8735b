package dev.ovm.manager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ImageCommandTest {
  /** The image folder of this checkout (tests run in ive-manager/). */
  private static final Path DEBIAN = Path.of("..", ".ovm-cache", "images", "debian-riscv64").toAbsolutePath().normalize();

  @Test
  void anUnknownImageIsOneUsageErrorLine() {
    OvmRunner.Result result = OvmRunner.run("image", "pull", "debian-sparc");
    assertEquals(2, result.status());
    assertEquals("ovm: unknown image 'debian-sparc' (known: debian-riscv64)", result.messages().strip());
  }

  @Test
  void imageWithoutASubcommandSaysWhatToType() {
    OvmRunner.Result result = OvmRunner.run("image");
    assertEquals(2, result.status());
    assertTrue(result.messages().startsWith("ovm: missing image command (try 'ovm image pull debian-riscv64'"),
        result.messages());
  }

  @Test
  void listNamesEachImageWithItsStateInThisCheckout() {
    OvmRunner.Result result = OvmRunner.run("image", "list");
    assertEquals(0, result.status(), result.messages());
    String expected = Files.isRegularFile(DEBIAN.resolve("initramfs.gz"))
        ? "debian-riscv64  cached in " + DEBIAN
        : "debian-riscv64  not pulled (ovm image pull debian-riscv64)";
    assertTrue(result.console().contains(expected), result.console());
    assertTrue(result.console().contains("Debian 13 (trixie) riscv64"), result.console());
  }

  /** Needs the image built once (scripts/deps.sh does it): then pulling finds it in the cache. */
  @Test
  @Tag("linux")
  void pullingACachedImageSaysWhereItIsAndHowToBootIt() {
    OvmRunner.Result result = OvmRunner.run("image", "pull", "debian-riscv64");
    assertEquals(0, result.status(), result.messages());
    String messages = result.messages();
    assertTrue(messages.contains("ovm: pulling debian-riscv64: Debian 13"), messages);
    assertTrue(messages.contains("  " + DEBIAN), "the script's own output is passed on: " + messages);
    assertTrue(messages.contains("ovm: debian-riscv64 is cached in " + DEBIAN + " (vmlinux, initramfs.gz, fw_jump.bin)"),
        messages);
    assertTrue(messages.contains("ovm: boot it: ovm run -bios " + DEBIAN.resolve("fw_jump.bin")), messages);
  }
}
