package dev.ovm.manager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ovm dtb} writes a blob that the Device Tree Compiler accepts and that describes the board. */
class DtbCommandTest {
  @TempDir Path dir;

  @Test
  void dtcDecompilesTheBlobOfATwoHartMachine() throws IOException, InterruptedException {
    Path blob = dir.resolve("virt.dtb");
    OvmRunner.Result result =
        OvmRunner.run("dtb", "-smp", "2", "-m", "256M", "-append", "console=ttyS0", "-o", blob.toString());
    assertEquals(0, result.status(), result.messages());
    Process dtc =
        new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", blob.toString())
            .redirectErrorStream(true)
            .start();
    String dts = new String(dtc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, dtc.waitFor(), dts);
    assertTrue(dts.contains("cpu@1 {"), dts);
    assertTrue(dts.contains("riscv,isa = \"rv64imafdc_zicsr_zifencei_sstc\""), dts);
    assertTrue(dts.contains("bootargs = \"console=ttyS0\""), dts);
    assertTrue(dts.contains("reg = <0x00 0x80000000 0x00 0x10000000>"), dts);
    assertTrue(dts.contains("serial@10000000"), dts);
    assertTrue(dts.contains("plic@c000000"), dts);
    assertTrue(dts.contains("clint@2000000"), dts);
    assertTrue(dts.contains("test@100000"), dts);
  }
}
