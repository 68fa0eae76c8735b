package dev.ovm.io.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes property values in the forms of DT spec 2.2.4.2: big-endian 32-bit cells, 64-bit values
 * as two cells, and NUL-terminated ASCII strings.
 */
public final class FdtValues {
  private FdtValues() {}

  /** The cells as big-endian 32-bit values, in order. */
  public static byte[] cells(int... cells) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(cells.length, 4));
    for (int cell : cells) {
      buffer.putInt(cell);
    }
    return buffer.array();
  }

  /** The values as big-endian 64-bit values (most significant cell first), in order. */
  public static byte[] longs(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, 8));
    for (long value : values) {
      buffer.putLong(value);
    }
    return buffer.array();
  }

  /**
   * The strings, each followed by a NUL byte.
   *
   * @throws IllegalArgumentException if a string contains NUL or a character outside printable
   *     ASCII (DT spec 2.2.4.2 strings are printable and NUL-terminated)
   */
  public static byte[] strings(String... values) {
    int length = 0;
    for (String value : values) {
      checkPrintable(value);
      length = Math.addExact(length, value.length() + 1);
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    for (String value : values) {
      buffer.put(value.getBytes(StandardCharsets.US_ASCII));
      buffer.put((byte) 0);
    }
    return buffer.array();
  }

  private static void checkPrintable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            String.format("string property value has a non-printable character U+%04X: %s", (int) c,
                value.replace("\0", "\\0")));
      }
    }
  }
}
