package dev.ovm.io.virtio;

/**
 * The driver-written configuration of one queue (QueueNum, QueueReady and the three area
 * addresses, virtio 1.2 4.2.2), as the transport holds it until the device is activated. Plain
 * mutable fields: guarded by the owning transport's lock.
 */
final class QueueRegisters {
  int num;
  boolean ready;
  long descriptorArea;
  long driverArea;
  long deviceArea;

  /** The layout these registers describe. */
  QueueLayout layout() {
    return new QueueLayout(num, descriptorArea, driverArea, deviceArea);
  }

  /** Replaces the low ({@code high == false}) or high 32 bits of {@code address}. */
  static long withHalf(long address, boolean high, long value) {
    long word = value & 0xFFFF_FFFFL;
    return high ? (address & 0xFFFF_FFFFL) | word << 32 : (address & ~0xFFFF_FFFFL) | word;
  }
}
