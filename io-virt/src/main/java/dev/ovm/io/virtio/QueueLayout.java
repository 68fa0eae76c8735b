package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;

/**
 * Where a split virtqueue lives in guest memory, as the driver configured it through the
 * transport: the queue size and the guest-physical addresses of its three parts (virtio 1.2 2.7:
 * Descriptor Table in the Descriptor Area, Available Ring in the Driver Area, Used Ring in the
 * Device Area).
 *
 * @param size number of entries, a power of 2 from 1 to {@link Virtio#MAX_QUEUE_SIZE}
 * @param descriptorTable guest-physical address of the descriptor table
 * @param availableRing guest-physical address of the available ring
 * @param usedRing guest-physical address of the used ring
 */
public record QueueLayout(int size, long descriptorTable, long availableRing, long usedRing) {

  /** Bytes of one descriptor (struct virtq_desc). */
  public static final int DESCRIPTOR_SIZE = 16;

  /** Size in bytes of the descriptor table (virtio 1.2 2.7, table of part sizes). */
  public long descriptorTableBytes() {
    return (long) DESCRIPTOR_SIZE * size;
  }

  /** Size in bytes of the available ring, including used_event (virtio 1.2 2.7). */
  public long availableRingBytes() {
    return 6L + 2L * size;
  }

  /** Size in bytes of the used ring, including avail_event (virtio 1.2 2.7). */
  public long usedRingBytes() {
    return 6L + 8L * size;
  }

  /**
   * True if this layout is one the device can use with {@code memory}: the size is a power of 2
   * no larger than {@code maxSize}, each part is aligned as virtio 1.2 2.7 requires (16, 2 and 4
   * bytes) and lies wholly inside guest RAM.
   */
  public boolean isValid(GuestMemory memory, int maxSize) {
    if (size <= 0 || size > maxSize || size > Virtio.MAX_QUEUE_SIZE || Integer.bitCount(size) != 1) {
      return false;
    }
    if ((descriptorTable & 15) != 0 || (availableRing & 1) != 0 || (usedRing & 3) != 0) {
      return false;
    }
    return memory.contains(descriptorTable, descriptorTableBytes())
        && memory.contains(availableRing, availableRingBytes())
        && memory.contains(usedRing, usedRingBytes());
  }
}
