package dev.ovm.io.virtio;

/**
 * Turns a fuzzer's byte array into choices. Reads past the end yield zeros, so every input,
 * including the empty one, decodes to some scenario.
 */
final class ByteInput {
  private final byte[] bytes;
  private int position;

  ByteInput(byte[] bytes) {
    this.bytes = bytes;
  }

  int nextByte() {
    return position < bytes.length ? bytes[position++] & 0xFF : 0;
  }

  boolean nextBoolean() {
    return (nextByte() & 1) != 0;
  }

  /** A value in {@code [0, bound)}, {@code bound <= 65536}. */
  int below(int bound) {
    int raw = nextByte() | nextByte() << 8;
    return raw % bound;
  }

  int nextInt() {
    return nextByte() | nextByte() << 8 | nextByte() << 16 | nextByte() << 24;
  }

  long nextLong() {
    return (nextInt() & 0xFFFF_FFFFL) | (long) nextInt() << 32;
  }

  /** Up to {@code max} of the remaining bytes, as many as the next byte says. */
  byte[] nextBytes(int max) {
    int n = Math.min(below(max + 1), bytes.length - position);
    byte[] result = new byte[Math.max(0, n)];
    System.arraycopy(bytes, position, result, 0, result.length);
    position += result.length;
    return result;
  }
}
