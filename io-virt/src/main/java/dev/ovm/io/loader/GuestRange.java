package dev.ovm.io.loader;

import dev.ovm.vmm.memory.GuestMemory;

/** Checks and fills guest-physical ranges for the loaders. */
final class GuestRange {
  private GuestRange() {}

  private static final byte[] ZEROS = new byte[64 * 1024];

  /**
   * Checks that {@code [address, address + size)} lies inside guest RAM.
   *
   * @throws ImageException {@code "<image>: <what> at 0x... (size 0x...) does not fit in RAM
   *     0x...-0x..."} if it does not
   */
  static void checkFits(ImageBytes image, String what, long address, long size,
      GuestMemory memory) throws ImageException {
    if (!memory.contains(address, size)) {
      long base = memory.base().value();
      throw image.error(String.format(
          "%s at 0x%x (size 0x%x) does not fit in RAM 0x%x-0x%x",
          what, address, size, base, base + memory.size() - 1));
    }
  }

  /** Writes {@code length} zero bytes at {@code address}; the range was checked to lie in RAM. */
  static void zero(GuestMemory memory, long address, long length) {
    long done = 0;
    while (done < length) {
      int chunk = (int) Math.min(ZEROS.length, length - done);
      memory.write(address + done, ZEROS, 0, chunk);
      done += chunk;
    }
  }
}
