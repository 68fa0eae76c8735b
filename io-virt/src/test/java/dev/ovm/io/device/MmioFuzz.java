package dev.ovm.io.device;

import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.MmioDevice;
import java.util.Random;

/**
 * Drives a device with a reproducible stream of random register accesses, as the bus would issue
 * them (offset + width inside the window), biased towards the given interesting offsets. Any
 * exception other than {@link DeviceAccessFault} propagates and fails the property.
 */
final class MmioFuzz {
  private MmioFuzz() {}

  private static final int[] WIDTHS = {1, 2, 4, 8};

  /** Performs {@code count} accesses from {@code seed}; returns how many faulted. */
  static int run(MmioDevice device, long seed, int count, long... hotOffsets) {
    Random random = new Random(seed);
    int faults = 0;
    for (int i = 0; i < count; i++) {
      int width = WIDTHS[random.nextInt(WIDTHS.length)];
      long offset;
      if (hotOffsets.length > 0 && random.nextInt(4) != 0) {
        offset = hotOffsets[random.nextInt(hotOffsets.length)] + random.nextInt(8) - 2;
      } else {
        offset = (long) (random.nextDouble() * device.size());
      }
      offset = Math.max(0, Math.min(offset, device.size() - width));
      long value = switch (random.nextInt(4)) {
        case 0 -> random.nextLong();
        case 1 -> random.nextInt(16);
        case 2 -> -1L;
        default -> random.nextInt(256);
      };
      try {
        if (random.nextBoolean()) {
          device.write(offset, width, value);
        } else {
          device.read(offset, width);
        }
      } catch (DeviceAccessFault expected) {
        faults++;
      }
    }
    return faults;
  }
}
