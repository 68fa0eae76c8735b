package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import dev.ovm.vmm.memory.GuestMemory;
import org.checkerframework.checker.index.qual.NonNegative;

/**
 * The Debug Console extension, EID 0x4442434E "DBCN" (SBI spec v2.0 ch. 12): {@code
 * console_write(num_bytes, base_addr_lo, base_addr_hi)} (FID 0), {@code console_read} (1) and
 * {@code console_write_byte(byte)} (2). Buffers are guest-physical (on RV64 {@code base_addr_hi}
 * must be 0); one that is not wholly inside RAM is SBI_ERR_INVALID_PARAM. Output goes where the
 * UART's output goes; a read returns the bytes typed so far (possibly none) without waiting.
 * A call moves at most {@value #MAX_CHUNK} bytes and says how many it moved, as the spec allows.
 */
final class DebugConsoleExtension implements SbiExtension {
  static final long ID = 0x4442434EL;
  static final int MAX_CHUNK = 4096;

  private final SbiPlatform platform;
  private final GuestMemory memory;

  DebugConsoleExtension(SbiPlatform platform) {
    this.platform = platform;
    this.memory = platform.memory();
  }

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    long count = hart.x(Sbi.Registers.A0);
    long address = hart.x(Sbi.Registers.A1);
    long addressHigh = hart.x(Sbi.Registers.A2);
    return switch (function) {
      case 0, 1 -> {
        int length = chunkLength(count);
        if (addressHigh != 0 || !memory.contains(address, Math.max(length, 1))) {
          yield SbiResult.error(Sbi.ERR_INVALID_PARAM);
        }
        // the same low 32 bits the switch dispatched on: a6 = 1 << 56 is a write, not a read
        yield function == 0 ? write(address, length) : read(address, length);
      }
      case 2 -> {
        platform.consoleWrite(new byte[] {(byte) count}, 1);
        yield SbiResult.SUCCESS;
      }
      default -> SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    };
  }

  /** The bytes one call moves: {@code count} (an unsigned number), at most {@value #MAX_CHUNK}. */
  @SuppressWarnings("index") // both branches lie in [0, MAX_CHUNK]: the cast happens only for 0 <= count <= MAX_CHUNK
  private static @NonNegative int chunkLength(long count) {
    return count < 0 || count > MAX_CHUNK ? MAX_CHUNK : (int) count;
  }

  private SbiResult write(long address, @NonNegative int length) {
    byte[] bytes = new byte[length];
    memory.read(address, bytes, 0, length);
    platform.consoleWrite(bytes, length);
    return SbiResult.value(length);
  }

  private SbiResult read(long address, @NonNegative int length) {
    byte[] bytes = new byte[length];
    int n = 0;
    while (n < length) {
      int b = platform.consoleRead();
      if (b < 0) {
        break;
      }
      bytes[n++] = (byte) b;
    }
    memory.write(address, bytes, 0, n);
    return SbiResult.value(n);
  }
}
