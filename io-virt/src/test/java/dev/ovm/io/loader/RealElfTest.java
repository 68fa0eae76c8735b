package dev.ovm.io.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.memory.GuestRam;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Loads an ELF file made by the real RISC-V toolchain (src/test/resources/elf, recipe in its
 * README): a non-PT_LOAD RISCV_ATTRIBUTES header to skip, code, data and a .bss to zero.
 */
class RealElfTest {
  private static final long RAM = 0x8000_0000L;

  private static byte[] fixture() throws IOException {
    try (InputStream in = RealElfTest.class.getResourceAsStream("/elf/hello.elf")) {
      assertNotNull(in, "hello.elf fixture missing");
      return in.readAllBytes();
    }
  }

  @Test
  void loadsTheToolchainsOutput() throws Exception {
    try (GuestRam ram = new GuestRam(RAM, 1 << 20)) {
      byte[] garbage = new byte[0x2000];
      java.util.Arrays.fill(garbage, (byte) 0x5a);
      ram.write(RAM, garbage, 0, garbage.length);

      ElfImage image = ElfLoader.load("hello.elf", fixture(), ram);

      assertEquals(RAM, image.entry());
      assertEquals(RAM, image.lowestAddress());
      assertEquals(OptionalLong.of(RAM + 0x1000), image.symbol("tohost"));
      assertEquals(OptionalLong.of(RAM + 0x1040), image.symbol("fromhost"));
      assertEquals(OptionalLong.of(RAM), image.symbol("_start"));
      long buffer = image.symbol("buffer").orElseThrow();
      assertEquals(buffer + 4096, image.endAddress(), ".bss ends the image");
      // auipc t0, 0x1 (0x00001297), the first instruction
      assertEquals(0x00001297, ram.load32(0));
      byte[] message = new byte[15];
      ram.read(image.symbol("message").orElseThrow(), message, 0, message.length);
      assertArrayEquals("hello from ovm\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          message);
      for (long a = buffer; a < RAM + 0x2000; a++) {
        assertEquals(0, ram.load8(a - RAM), "bss zeroed at 0x" + Long.toHexString(a));
      }
      assertTrue(ram.load8(0x1c) == 0x5a, "bytes after .text are not part of any segment");
    }
  }
}
