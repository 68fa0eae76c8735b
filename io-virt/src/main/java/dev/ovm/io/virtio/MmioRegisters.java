package dev.ovm.io.virtio;

/**
 * Offsets of the virtio-mmio version 2 control registers (virtio 1.2 4.2.2, table "MMIO Device
 * Register Layout"), named as in the specification. All are 32 bits wide; the device-specific
 * configuration space starts at {@link #CONFIG}.
 */
public final class MmioRegisters {
  private MmioRegisters() {}

  /** R: 0x74726976, "virt" in little-endian. */
  public static final int MAGIC_VALUE = 0x000;
  /** R: device version, 2 (legacy devices used 1). */
  public static final int VERSION = 0x004;
  /** R: virtio device ID, 0 for a placeholder transport. */
  public static final int DEVICE_ID = 0x008;
  /** R: virtio subsystem vendor ID. */
  public static final int VENDOR_ID = 0x00c;
  /** R: 32 device feature bits selected by DeviceFeaturesSel. */
  public static final int DEVICE_FEATURES = 0x010;
  /** W: selects feature bits {@code 32 * n} to {@code 32 * n + 31}. */
  public static final int DEVICE_FEATURES_SEL = 0x014;
  /** W: 32 driver feature bits selected by DriverFeaturesSel. */
  public static final int DRIVER_FEATURES = 0x020;
  /** W: selects the word DriverFeatures writes. */
  public static final int DRIVER_FEATURES_SEL = 0x024;
  /** W: selects the queue the Queue* registers apply to. */
  public static final int QUEUE_SEL = 0x030;
  /** R: maximum size of the selected queue, 0 if it does not exist. */
  public static final int QUEUE_NUM_MAX = 0x034;
  /** W: size of the selected queue. */
  public static final int QUEUE_NUM = 0x038;
  /** RW: the selected queue is ready. */
  public static final int QUEUE_READY = 0x044;
  /** W: available buffer notification; the value is the queue index. */
  public static final int QUEUE_NOTIFY = 0x050;
  /** R: bit 0 used buffer notification, bit 1 configuration change notification. */
  public static final int INTERRUPT_STATUS = 0x060;
  /** W: clears the InterruptStatus bits written. */
  public static final int INTERRUPT_ACK = 0x064;
  /** RW: device status (2.1); writing 0 resets the device. */
  public static final int STATUS = 0x070;
  /** W: Descriptor Area address, low 32 bits. */
  public static final int QUEUE_DESC_LOW = 0x080;
  /** W: Descriptor Area address, high 32 bits. */
  public static final int QUEUE_DESC_HIGH = 0x084;
  /** W: Driver Area (available ring) address, low 32 bits. */
  public static final int QUEUE_DRIVER_LOW = 0x090;
  /** W: Driver Area address, high 32 bits. */
  public static final int QUEUE_DRIVER_HIGH = 0x094;
  /** W: Device Area (used ring) address, low 32 bits. */
  public static final int QUEUE_DEVICE_LOW = 0x0a0;
  /** W: Device Area address, high 32 bits. */
  public static final int QUEUE_DEVICE_HIGH = 0x0a4;
  /** W: selects a shared memory region. */
  public static final int SHM_SEL = 0x0ac;
  /** R: length of the selected shared memory region, low 32 bits (-1: no such region). */
  public static final int SHM_LEN_LOW = 0x0b0;
  /** R: length of the selected shared memory region, high 32 bits. */
  public static final int SHM_LEN_HIGH = 0x0b4;
  /** R: base of the selected shared memory region, low 32 bits (all ones: no such region). */
  public static final int SHM_BASE_LOW = 0x0b8;
  /** R: base of the selected shared memory region, high 32 bits. */
  public static final int SHM_BASE_HIGH = 0x0bc;
  /** RW: queue reset (only with VIRTIO_F_RING_RESET, which is not offered). */
  public static final int QUEUE_RESET = 0x0c0;
  /** R: configuration atomicity value. */
  public static final int CONFIG_GENERATION = 0x0fc;
  /** Start of the device-specific configuration space. */
  public static final int CONFIG = 0x100;
}
