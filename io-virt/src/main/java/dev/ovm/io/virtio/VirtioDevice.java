package dev.ovm.io.virtio;

/**
 * A virtio device model, as the transport sees it (virtio 1.2 chapter 5 describes each type): its
 * identity, features, queues and configuration space, and the three events of its life: the
 * driver made it live ({@link #activate}), the driver has buffers for it ({@link #notifyQueue}),
 * the driver reset it ({@link #reset}).
 *
 * <p>The transport calls these methods with its own lock held, from a vCPU thread; a device
 * processes notified queues synchronously, before {@link #notifyQueue} returns. A device never
 * throws for anything the guest put in memory: it fails the request or enters DEVICE_NEEDS_RESET
 * through its {@link Activation}.
 */
public interface VirtioDevice {

  /** The virtio device ID (virtio 1.2 5), e.g. {@link Virtio#ID_BLOCK}. */
  int deviceId();

  /**
   * The device-type feature bits the device offers. The transport adds VIRTIO_F_VERSION_1,
   * VIRTIO_F_INDIRECT_DESC and VIRTIO_F_EVENT_IDX, which its queues implement.
   */
  long deviceFeatures();

  /** Number of virtqueues. */
  int queueCount();

  /** The largest size queue {@code index} may have (QueueNumMax), a power of 2; 0 if none. */
  int queueMaxSize(int index);

  /** Size in bytes of the device-specific configuration space. */
  int configSize();

  /** The configuration space byte at {@code offset}, {@code 0 <= offset < configSize()}. */
  int readConfig(int offset);

  /** Writes a configuration space byte; the default ignores the write (read-only fields). */
  default void writeConfig(int offset, int value) {}

  /**
   * The driver set DRIVER_OK: the device may now use its queues. Buffers the driver made available
   * before this call may be processed at once.
   */
  void activate(Activation activation);

  /** Available buffer notification for queue {@code index} (ignored unless activated). */
  void notifyQueue(int index);

  /** Device reset (status written 0): drop the activation and return to the initial state. */
  void reset();
}
