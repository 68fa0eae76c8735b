package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;
import org.checkerframework.common.value.qual.MinLen;

/**
 * Little-endian ring fields in guest memory (virtio 1.2 2.4: all ring fields of a version-1
 * device are little-endian). Each accessor goes through {@link GuestMemory}, so it is
 * bounds-checked, and uses a caller-owned scratch array, so it does not allocate.
 *
 * <p>Not thread-safe: the scratch array belongs to one queue, which is confined to its device's
 * lock. The memory is passed on each call: a queue does not own guest memory.
 */
final class GuestFields {
  private final byte @MinLen(8) [] scratch = new byte[8];

  /** The unsigned 16-bit field at {@code gpa}. */
  int readU16(GuestMemory memory, long gpa) {
    memory.read(gpa, scratch, 0, 2);
    return (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8;
  }

  /** The 32-bit field at {@code gpa}, as an int (callers mask it when it is unsigned). */
  int readU32(GuestMemory memory, long gpa) {
    memory.read(gpa, scratch, 0, 4);
    return (scratch[0] & 0xFF)
        | (scratch[1] & 0xFF) << 8
        | (scratch[2] & 0xFF) << 16
        | (scratch[3] & 0xFF) << 24;
  }

  /** The 64-bit field at {@code gpa}. */
  long readU64(GuestMemory memory, long gpa) {
    long low = readU32(memory, gpa) & 0xFFFF_FFFFL;
    long high = readU32(memory, gpa + 4) & 0xFFFF_FFFFL;
    return low | high << 32;
  }

  /** Stores the low 16 bits of {@code value} at {@code gpa}. */
  void writeU16(GuestMemory memory, long gpa, int value) {
    scratch[0] = (byte) value;
    scratch[1] = (byte) (value >> 8);
    memory.write(gpa, scratch, 0, 2);
  }

  /** Stores {@code value} at {@code gpa}. */
  void writeU32(GuestMemory memory, long gpa, int value) {
    scratch[0] = (byte) value;
    scratch[1] = (byte) (value >> 8);
    scratch[2] = (byte) (value >> 16);
    scratch[3] = (byte) (value >> 24);
    memory.write(gpa, scratch, 0, 4);
  }
}
