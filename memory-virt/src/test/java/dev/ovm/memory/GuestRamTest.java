package dev.ovm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.vmm.memory.GuestMemoryException;
import org.junit.jupiter.api.Test;

class GuestRamTest {
  private static final long BASE = 0x8000_0000L;
  private static final long SIZE = 64 * 1024;

  @Test
  void accessesAreLittleEndian() {
    try (GuestRam ram = new GuestRam(BASE, SIZE)) {
      long at = ram.offsetOf(BASE + 8, 8);
      ram.store64(at, 0x0102_0304_0506_0708L);
      assertEquals(0x08, ram.load8(at));
      assertEquals(0x0708, ram.load16(at));
      assertEquals(0x0506_0708, ram.load32(at));
      assertEquals(0x0102_0304, ram.load32(ram.offsetOf(BASE + 12, 4)));
      byte[] out = new byte[2];
      ram.read(BASE + 8, out, 0, 2);
      assertArrayEquals(new byte[] {8, 7}, out);
    }
  }

  @Test
  void compareAndExchangeSwapsOnlyOnAMatch() {
    try (GuestRam ram = new GuestRam(BASE, SIZE)) {
      long at = ram.offsetOf(BASE + 16, 8);
      ram.store64(at, 5);
      assertEquals(5, ram.cas64(at, 4, 9));
      assertEquals(5, ram.load64(at));
      assertEquals(5, ram.cas64(at, 5, 9));
      assertEquals(9, ram.load64(at));
      assertEquals(9, ram.cas32(at, 9, -1));
      assertEquals(0xFFFF_FFFFL, ram.load64(at));
    }
  }

  @Test
  void offsetOfAcceptsExactlyTheRangesInsideRam() {
    try (GuestRam ram = new GuestRam(BASE, SIZE)) {
      assertEquals(0, ram.offsetOf(BASE, 8) & 4095);
      assertEquals(4088, ram.offsetOf(BASE + SIZE - 8, 8) & 4095);
      assertEquals(-1, ram.offsetOf(BASE + SIZE - 7, 8));
      assertEquals(-1, ram.offsetOf(BASE + 4092, 8), "crosses a page: the frames need not be adjacent");
      assertEquals(-1, ram.offsetOf(BASE - 1, 1));
      assertEquals(-1, ram.offsetOf(Long.MIN_VALUE, 1));
    }
  }

  @Test
  void outOfRangeCopiesThrowAndChangeNothing() {
    try (GuestRam ram = new GuestRam(BASE, SIZE)) {
      qt().forAll(longs().all(), integers().between(0, 4096))
          .checkAssert(
              (gpa, length) -> {
                boolean inside = gpa >= BASE && gpa - BASE <= SIZE - length;
                byte[] data = new byte[length];
                java.util.Arrays.fill(data, (byte) 0x5a);
                if (inside) {
                  ram.write(gpa, data, 0, length);
                  byte[] back = new byte[length];
                  ram.read(gpa, back, 0, length);
                  assertArrayEquals(data, back);
                  ram.write(gpa, new byte[length], 0, length);
                } else {
                  assertThrows(GuestMemoryException.class, () -> ram.write(gpa, data, 0, length));
                }
              });
      byte[] all = new byte[(int) SIZE];
      ram.read(BASE, all, 0, all.length);
      for (byte b : all) {
        assertEquals(0, b, "a rejected or undone write left data behind");
      }
    }
  }

  @Test
  void badGeometryIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new GuestRam(BASE, 100));
    assertThrows(IllegalArgumentException.class, () -> new GuestRam(BASE + 1, SIZE));
    assertThrows(IllegalArgumentException.class, () -> new GuestRam(Long.MAX_VALUE - 4095, 8192));
  }
}
