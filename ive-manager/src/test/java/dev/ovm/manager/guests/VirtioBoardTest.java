package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virt board's eight virtio-mmio transports as a guest sees them: a probe program (source and
 * recipe in {@code src/test/resources/virtio-probe}) reads the DeviceID registers and reports them
 * as its exit code.
 */
class VirtioBoardTest {
  @TempDir Path dir;

  private Path probe() throws IOException {
    Path probe = dir.resolve("probe.bin");
    try (var in = VirtioBoardTest.class.getResourceAsStream("/virtio-probe/probe.bin")) {
      Files.write(probe, in.readAllBytes());
    }
    return probe;
  }

  @Test
  void devicesFillTheSlotsFromTheTopAndEmptySlotsReportDeviceIdZero() throws IOException {
    Path disk = dir.resolve("disk.img");
    Files.write(disk, new byte[1 << 20]);
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", probe().toString(),
        "-drive", "file=" + disk + ",format=raw", "-device", "virtio-rng", "-device", "virtio-console",
        "--timeout", "30", "-q");
    // slot 7: block (2), slot 6: entropy (4), slot 5: console (3), marker 5 (slot 0 empty)
    assertEquals(0x2435, result.status(), result.messages());
  }

  @Test
  void withoutDevicesEverySlotIsEmpty() throws IOException {
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", probe().toString(), "--timeout", "30", "-q");
    assertEquals(0x0005, result.status(), result.messages());
  }

  @Test
  void badDrivesAreOneLineErrors() {
    OvmRunner.Result missing = OvmRunner.run("run", "-drive", "file=" + dir.resolve("none.img") + ",format=raw");
    assertEquals(2, missing.status());
    assertTrue(missing.messages().contains("no such file"), missing.messages());
    OvmRunner.Result qcow = OvmRunner.run("run", "-drive", "file=x.qcow2,format=qcow2");
    assertEquals(2, qcow.status());
    assertTrue(qcow.messages().contains("only format=raw"), qcow.messages());
    OvmRunner.Result device = OvmRunner.run("run", "-device", "e1000");
    assertEquals(2, device.status());
    assertTrue(device.messages().contains("unknown device 'e1000'"), device.messages());
  }
}
