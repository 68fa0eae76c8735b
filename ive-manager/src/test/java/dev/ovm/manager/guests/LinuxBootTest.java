package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian 13's own riscv64 kernel with a busybox initramfs (built by {@code scripts/debian-image.sh},
 * which {@code scripts/deps.sh} runs) boots on ovm under Debian's OpenSBI, and with {@code -bios
 * none} under the VMM's own SBI, loads the virtio modules, reads a virtio disk, and powers off. Run
 * alone with {@code mvn -pl ive-manager verify -Dgroups=linux}.
 */
@Tag("linux")
class LinuxBootTest {
  static final Path IMAGE = Path.of("..", ".ovm-cache", "images", "debian-riscv64");
  @TempDir Path dir;

  @Test
  void debianKernelBootsReadsTheVirtioDiskAndPowersOff() throws IOException, NoSuchAlgorithmException {
    for (String file : new String[] {"fw_jump.bin", "vmlinux", "initramfs.gz"}) {
      assertTrue(Files.isRegularFile(IMAGE.resolve(file)), IMAGE.resolve(file) + " is missing: run scripts/deps.sh");
    }
    byte[] data = new byte[16 << 20];
    new Random(42).nextBytes(data);
    Path disk = dir.resolve("disk.img");
    Files.write(disk, data);
    String hostSum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

    OvmRunner.Result result = OvmRunner.run("run",
        "-bios", IMAGE.resolve("fw_jump.bin").toString(),
        "-kernel", IMAGE.resolve("vmlinux").toString(),
        "-initrd", IMAGE.resolve("initramfs.gz").toString(),
        "-m", "512M",
        "-drive", "file=" + disk + ",format=raw",
        "-append", "console=ttyS0 ovm.cmd=sha256sum+/dev/vda",
        "--timeout", "300", "-q");
    String console = result.console();
    assertTrue(console.contains("Linux version 6.12"), console);
    assertTrue(console.contains("[vda] 32768 512-byte logical blocks"), console);
    assertTrue(console.contains("OVM-READY "), console);
    assertTrue(console.contains(hostSum + "  /dev/vda"), "guest sha256 differs from the host's " + hostSum);
    assertTrue(console.contains("reboot: Power down"), console);
    assertEquals(0, result.status(), "the guest powers off through SBI SRST and the test finisher");
  }

  @Test
  void withoutFirmwareTheVmmServesSbiToAnSmpKernelThatUsesSstc() throws IOException, NoSuchAlgorithmException {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    Path disk = dir.resolve("disk.img");
    Files.write(disk, data);
    String hostSum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

    OvmRunner.Result result = OvmRunner.run("run",
        "-bios", "none",
        "-kernel", IMAGE.resolve("vmlinux").toString(),
        "-initrd", IMAGE.resolve("initramfs.gz").toString(),
        "-m", "512M", "-smp", "2",
        "-drive", "file=" + disk + ",format=raw",
        "-append", "console=ttyS0 ovm.cmd=sha256sum+/dev/vda",
        "--timeout", "300", "-q");
    String console = result.console();
    assertTrue(!console.contains("OpenSBI"), console);
    assertTrue(console.contains("SBI specification v2.0 detected"), console);
    assertTrue(console.contains("SBI implementation ID=0x6f766d Version=0x1"), console);
    for (String extension : new String[] {"TIME", "IPI", "RFENCE", "SRST", "DBCN", "HSM"}) {
      assertTrue(console.contains("SBI " + extension + " extension detected"), extension + ": " + console);
    }
    assertTrue(console.contains("riscv-timer: Timer interrupt in S-mode is available via sstc extension"), console);
    assertTrue(console.contains("smp: Brought up 1 node, 2 CPUs"), "HSM hart_start: " + console);
    assertTrue(console.contains("OVM-READY 6.12"), console);
    assertTrue(console.contains(hostSum + "  /dev/vda"), "guest sha256 differs from the host's " + hostSum);
    assertTrue(console.contains("reboot: Power down"), console);
    assertEquals(0, result.status(), "the guest powers off cleanly");
  }

  /**
   * The same without firmware on the realtime clock, each hart on its own host thread, so remote
   * fences, IPIs and HSM starts cross threads. (A run like this once ended as a false deadlock: a
   * stimecmp fired between the housekeeping pass and its deadlock check. The race is timing-bound
   * and this test does not reliably provoke it; {@code SstcTest} checks the deadline rule that
   * fixed it.)
   */
  @Test
  void withoutFirmwareAnSmpKernelBootsOnTheRealtimeClock() {
    OvmRunner.Result result = OvmRunner.run("run", "--clock", "realtime", "--pcpus", "2",
        "-kernel", IMAGE.resolve("vmlinux").toString(),
        "-initrd", IMAGE.resolve("initramfs.gz").toString(),
        "-m", "512M", "-smp", "2",
        "-append", "console=ttyS0 ovm.cmd=grep+-c+^processor+/proc/cpuinfo",
        "--timeout", "300", "-q");
    String console = result.console();
    assertTrue(console.contains("smp: Brought up 1 node, 2 CPUs"), console);
    assertTrue(console.contains("OVM-READY 6.12"), console);
    assertTrue(console.contains("\n2\r\n") || console.contains("\n2\n"), "the guest counts 2 processors: " + console);
    assertTrue(console.contains("reboot: Power down"), console);
    assertEquals(0, result.status(), "the guest powers off cleanly");
  }

  @Test
  void anSmpGuestBringsUpBothHartsAndTwoLinuxVmsRunSideBySide() {
    String bios = IMAGE.resolve("fw_jump.bin").toString();
    String kernel = IMAGE.resolve("vmlinux").toString();
    String initrd = IMAGE.resolve("initramfs.gz").toString();
    String common = "bios=" + bios + ",kernel=" + kernel + ",initrd=" + initrd + ",m=512M";
    OvmRunner.Result result = OvmRunner.run("run", "--pcpus", "2",
        "--vm", "name=one," + common + ",append=console=ttyS0 ovm.cmd=true",
        "--vm", "name=two," + common + ",smp=2,append=console=ttyS0 ovm.cmd=grep+-c+^processor+/proc/cpuinfo",
        "--timeout", "300", "-q");
    String console = result.console();
    assertTrue(console.contains("one| OVM-READY 6.12"), console);
    assertTrue(console.contains("two| OVM-READY 6.12"), console);
    assertTrue(console.contains("two| [") && console.contains("smp: Brought up 1 node, 2 CPUs"), console);
    assertTrue(console.contains("two| 2\r\n") || console.contains("two| 2\n"), "the SMP guest counts 2 processors");
    assertTrue(console.contains("one| [") && console.contains("reboot: Power down"), console);
    assertEquals(0, result.status(), "both VMs power off cleanly");
  }
}
