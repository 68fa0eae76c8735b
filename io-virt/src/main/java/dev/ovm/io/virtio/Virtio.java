package dev.ovm.io.virtio;

/**
 * Constants of the virtio 1.2 specification shared by the transport and the devices, spelled as
 * in the specification: device status bits (2.1), reserved feature bits (6), device IDs (5).
 */
public final class Virtio {
  private Virtio() {}

  // virtio 1.2 2.1 Device Status Field
  /** The guest OS has found the device and recognized it as a valid virtio device. */
  public static final int STATUS_ACKNOWLEDGE = 1;
  /** The guest OS knows how to drive the device. */
  public static final int STATUS_DRIVER = 2;
  /** The driver is set up and ready to drive the device. */
  public static final int STATUS_DRIVER_OK = 4;
  /** The driver has acknowledged all the features it understands; negotiation is complete. */
  public static final int STATUS_FEATURES_OK = 8;
  /** The device has experienced an error from which it cannot recover. */
  public static final int STATUS_DEVICE_NEEDS_RESET = 64;
  /** Something went wrong in the guest and it has given up on the device. */
  public static final int STATUS_FAILED = 128;

  // virtio 1.2 6 Reserved Feature Bits (bit numbers)
  /** The driver can use descriptors with VIRTQ_DESC_F_INDIRECT (2.7.5.3). */
  public static final int F_INDIRECT_DESC = 28;
  /** Enables the used_event and avail_event fields (2.7.7, 2.7.10). */
  public static final int F_EVENT_IDX = 29;
  /** Compliance with version 1 of the specification; required, legacy is not supported. */
  public static final int F_VERSION_1 = 32;

  // virtio 1.2 5 Device Types
  /** Reserved ID: a placeholder transport with no device behind it (4.2.2). */
  public static final int ID_NONE = 0;
  /** Block device (5.2). */
  public static final int ID_BLOCK = 2;
  /** Console (5.3). */
  public static final int ID_CONSOLE = 3;
  /** Entropy source (5.4). */
  public static final int ID_ENTROPY = 4;

  /** The largest queue size a split virtqueue may have (2.7). */
  public static final int MAX_QUEUE_SIZE = 32768;

  /** A feature set containing only bit {@code bit}. */
  public static long bit(int bit) {
    return 1L << bit;
  }

  /** True if {@code features} contains feature bit {@code bit}. */
  public static boolean has(long features, int bit) {
    return (features & (1L << bit)) != 0;
  }
}
