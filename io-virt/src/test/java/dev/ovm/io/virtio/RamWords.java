package dev.ovm.io.virtio;

import dev.ovm.memory.GuestRam;

/**
 * Little-endian words of guest RAM for the test drivers, through the bounds-checked DMA path: a word
 * may straddle two guest pages, whose machine frames need not be adjacent, so the tests do not use
 * machine offsets for driver-side structures at addresses the fuzzers choose.
 */
final class RamWords {
  private RamWords() {}

  /** The {@code width}-byte little-endian word at {@code gpa}, zero-extended. */
  static long load(GuestRam ram, long gpa, int width) {
    byte[] bytes = new byte[width];
    ram.read(gpa, bytes, 0, width);
    long value = 0;
    for (int i = width - 1; i >= 0; i--) {
      value = value << 8 | (bytes[i] & 0xFFL);
    }
    return value;
  }

  /** Stores the low {@code width} bytes of {@code value} at {@code gpa}, little-endian. */
  static void store(GuestRam ram, long gpa, int width, long value) {
    byte[] bytes = new byte[width];
    for (int i = 0; i < width; i++) {
      bytes[i] = (byte) (value >> (8 * i));
    }
    ram.write(gpa, bytes, 0, width);
  }
}
