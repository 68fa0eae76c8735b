package dev.ovm.io.virtio;

import static dev.ovm.io.virtio.MmioRegisters.*;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.device.MmioDevice;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * A virtio-mmio transport, version 2 (virtio 1.2 4.2), in one {@link VirtMemoryMap#VIRTIO_SIZE}
 * window of QEMU's {@code virt} board, with a {@link VirtioDevice} behind it.
 *
 * <p>Registers: see {@link MmioRegisters}. Control registers accept only aligned 32-bit accesses
 * (4.2.2.2 requires drivers to use them); anything else raises {@link DeviceAccessFault}. The
 * configuration space at 0x100 accepts 1, 2, 4 and 8-byte accesses and reads 0 past the device's
 * configuration. Write-only registers read 0, writes to read-only registers are ignored. There are
 * no shared memory regions (SHMLen and SHMBase read all ones) and the configuration never
 * changes, so ConfigGeneration is always 0. A transport with no device ({@link #empty()}) shows
 * only MagicValue, Version, VendorID and DeviceID 0, as QEMU's unused slots do; drivers then
 * stop (4.2.3.1.1).
 *
 * <p>Negotiation (3.1.1, 2.2): the device offers its own feature bits plus VIRTIO_F_VERSION_1,
 * VIRTIO_F_INDIRECT_DESC and VIRTIO_F_EVENT_IDX. Setting FEATURES_OK succeeds only if the driver
 * accepted VIRTIO_F_VERSION_1 (legacy drivers are not supported) and nothing that was not
 * offered; otherwise FEATURES_OK reads back as 0 and the driver gives up. DriverFeatures is
 * frozen once FEATURES_OK is set. Setting DRIVER_OK activates the device with the queues that are
 * ready, unless the device is already in DEVICE_NEEDS_RESET; DRIVER_OK without FEATURES_OK puts
 * the device in DEVICE_NEEDS_RESET. Writing 0 to Status resets device and transport, including
 * InterruptStatus and every QueueReady (4.2.2.1).
 *
 * <p>Queues: a queue's registers can be written only while QueueReady is 0. Writing 1 to
 * QueueReady checks the layout ({@link QueueLayout#isValid}: size a power of 2 up to QueueNumMax,
 * aligned parts inside RAM); a bad layout leaves the queue not ready and sets DEVICE_NEEDS_RESET.
 * Queues must be ready before DRIVER_OK, as Linux does; one enabled later is not used until the
 * next reset.
 *
 * <p>Processing model: synchronous. A write to QueueNotify runs the device's processing of that
 * queue on the calling vCPU thread before the write completes; completions raise InterruptStatus
 * bit 0 and the interrupt line. Notifications are ignored before DRIVER_OK and in
 * DEVICE_NEEDS_RESET.
 *
 * <p>Thread safety and lock order: one lock per transport ({@code lock}), taken by every register
 * access. While holding it the transport calls the device (which takes its own lock) and the
 * {@link InterruptState} (whose lock is innermost, before the PLIC's). The order is therefore
 * <em>transport lock, then device lock, then interrupt state lock, then PLIC lock</em>. Devices
 * called from other threads (console input) take their own lock and the interrupt state's, never
 * the transport's.
 */
public final class VirtioMmioTransport implements MmioDevice {
  /** MagicValue: "virt" in little-endian. */
  public static final int MAGIC = 0x74726976;
  /** Version of the register layout: 2 (virtio 1.0 and later). */
  public static final int VERSION_2 = 2;
  /** VendorID: "OVM" in little-endian. */
  public static final int VENDOR = 0x004D564F;
  /** Feature bits the transport and its queues implement for every device. */
  public static final long TRANSPORT_FEATURES =
      Virtio.bit(Virtio.F_VERSION_1) | Virtio.bit(Virtio.F_INDIRECT_DESC) | Virtio.bit(Virtio.F_EVENT_IDX);

  /** The registers; guarded by {@code lock}. */
  private static final class State {
    int deviceFeaturesSel;
    int driverFeaturesSel;
    long driverFeatures;
    int status;
    int queueSel;
    final List<QueueRegisters> queues = new ArrayList<>();

    State(int queueCount) {
      for (int i = 0; i < queueCount; i++) {
        queues.add(new QueueRegisters());
      }
    }
  }

  private final String name;
  private final VirtioDevice device;
  private final GuestMemory memory;
  private final InterruptState interrupts;
  private final long offeredFeatures;
  private final Object lock = new Object();
  private @GuardedBy("lock") State state;

  /**
   * Creates a transport for {@code device}, whose queues and buffers live in {@code memory}.
   *
   * @param name a short name for diagnostics, e.g. {@code "virtio-blk0"}
   * @param device the device model behind the transport
   * @param memory the guest RAM that queue and buffer addresses refer to
   * @param irq the transport's interrupt line (PLIC source {@code VIRTIO_IRQ + n})
   */
  public VirtioMmioTransport(String name, VirtioDevice device, GuestMemory memory, IrqLine irq) {
    this.name = name;
    this.device = device;
    this.memory = memory;
    this.interrupts = new InterruptState(irq);
    this.offeredFeatures = device.deviceFeatures() | TRANSPORT_FEATURES;
    this.state = new State(device.queueCount());
  }

  /** Creates a transport named {@code "virtio-mmio"} for {@code device}. */
  public VirtioMmioTransport(VirtioDevice device, GuestMemory memory, IrqLine irq) {
    this("virtio-mmio", device, memory, irq);
  }

  /** A transport with no device behind it: DeviceID reads 0 (4.2.2). */
  public static VirtioMmioTransport empty() {
    return new VirtioMmioTransport("virtio-mmio", NoDevice.INSTANCE, NoDevice.NO_MEMORY, IrqLine.NONE);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return VirtMemoryMap.VIRTIO_SIZE;
  }

  /** The features offered to the driver: the device's plus {@link #TRANSPORT_FEATURES}. */
  public long offeredFeatures() {
    return offeredFeatures;
  }

  /** The interrupt state the devices signal through. */
  public InterruptState interrupts() {
    return interrupts;
  }

  @Override
  public long read(long offset, int width) {
    if (offset >= CONFIG) {
      return readConfig((int) (offset - CONFIG), width);
    }
    checkControlAccess(offset, width);
    synchronized (lock) {
      return readRegister((int) (offset & 0xFF)) & 0xFFFF_FFFFL; // offset < CONFIG = 0x100
    }
  }

  @Override
  public void write(long offset, int width, long value) {
    if (offset >= CONFIG) {
      writeConfig((int) (offset - CONFIG), width, value);
      return;
    }
    checkControlAccess(offset, width);
    synchronized (lock) {
      if (device.deviceId() != Virtio.ID_NONE) {
        writeRegister((int) (offset & 0xFF), (int) value); // offset < CONFIG = 0x100
      }
    }
  }

  private static void checkControlAccess(long offset, int width) {
    if (width != 4 || (offset & 3) != 0) {
      throw DeviceAccessFault.INSTANCE; // 4.2.2.2: 32-bit aligned accesses only
    }
  }

  @Holding("lock")
  private int readRegister(int offset) {
    switch (offset) {
      case MAGIC_VALUE -> {
        return MAGIC;
      }
      case VERSION -> {
        return VERSION_2;
      }
      case DEVICE_ID -> {
        return device.deviceId();
      }
      case VENDOR_ID -> {
        return VENDOR;
      }
      default -> {
        return device.deviceId() == Virtio.ID_NONE ? 0 : readDeviceRegister(offset);
      }
    }
  }

  @Holding("lock")
  private int readDeviceRegister(int offset) {
    return switch (offset) {
      case DEVICE_FEATURES -> featureWord(offeredFeatures, state.deviceFeaturesSel);
      case QUEUE_NUM_MAX -> selectedQueueExists() ? device.queueMaxSize(state.queueSel) : 0;
      case QUEUE_READY -> selectedQueueExists() && state.queues.get(state.queueSel).ready ? 1 : 0;
      case INTERRUPT_STATUS -> interrupts.status();
      case STATUS -> state.status | (interrupts.needsReset() ? Virtio.STATUS_DEVICE_NEEDS_RESET : 0);
      case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> -1; // no such region
      default -> 0; // write-only registers, QueueReset, ConfigGeneration, reserved offsets
    };
  }

  private static int featureWord(long features, int select) {
    return switch (select) {
      case 0 -> (int) features;
      case 1 -> (int) (features >> 32);
      default -> 0;
    };
  }

  @Holding("lock")
  private boolean selectedQueueExists() {
    return state.queueSel >= 0 && state.queueSel < state.queues.size();
  }

  @Holding("lock")
  private void writeRegister(int offset, int value) {
    switch (offset) {
      case DEVICE_FEATURES_SEL -> state.deviceFeaturesSel = value;
      case DRIVER_FEATURES_SEL -> state.driverFeaturesSel = value;
      case DRIVER_FEATURES -> writeDriverFeatures(value);
      case QUEUE_SEL -> state.queueSel = value;
      case QUEUE_READY -> writeQueueReady(value);
      case QUEUE_NOTIFY -> notifyQueue(value);
      case INTERRUPT_ACK -> interrupts.acknowledge(value);
      case STATUS -> writeStatus(value & 0xFF);
      case QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
          QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH -> writeQueueRegister(offset, value);
      default -> {
        // read-only registers, SHMSel (no regions), QueueReset (not offered), reserved offsets
      }
    }
  }

  @Holding("lock")
  private void writeDriverFeatures(int value) {
    if ((state.status & Virtio.STATUS_FEATURES_OK) != 0) {
      return; // 3.1.1: features are fixed once FEATURES_OK is set
    }
    long word = value & 0xFFFF_FFFFL;
    switch (state.driverFeaturesSel) {
      case 0 -> state.driverFeatures = (state.driverFeatures & ~0xFFFF_FFFFL) | word;
      case 1 -> state.driverFeatures = (state.driverFeatures & 0xFFFF_FFFFL) | word << 32;
      default -> {
        // no feature bits above 63
      }
    }
  }

  @Holding("lock")
  private void writeQueueRegister(int offset, int value) {
    if (!selectedQueueExists()) {
      return;
    }
    QueueRegisters queue = state.queues.get(state.queueSel);
    if (queue.ready) {
      return; // 4.2.2.2: not written while QueueReady is set
    }
    switch (offset) {
      case QUEUE_NUM -> queue.num = value;
      case QUEUE_DESC_LOW, QUEUE_DESC_HIGH ->
          queue.descriptorArea = QueueRegisters.withHalf(queue.descriptorArea, offset == QUEUE_DESC_HIGH, value);
      case QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH ->
          queue.driverArea = QueueRegisters.withHalf(queue.driverArea, offset == QUEUE_DRIVER_HIGH, value);
      default ->
          queue.deviceArea = QueueRegisters.withHalf(queue.deviceArea, offset == QUEUE_DEVICE_HIGH, value);
    }
  }

  @Holding("lock")
  private void writeQueueReady(int value) {
    if (!selectedQueueExists()) {
      return;
    }
    QueueRegisters queue = state.queues.get(state.queueSel);
    if (value == 0 || queue.ready) {
      queue.ready = value != 0;
      return;
    }
    if (!queue.layout().isValid(memory, device.queueMaxSize(state.queueSel))) {
      interrupts.enterNeedsReset();
      return;
    }
    queue.ready = true;
  }

  @Holding("lock")
  private void notifyQueue(int value) {
    if ((state.status & Virtio.STATUS_DRIVER_OK) == 0 || interrupts.needsReset()) {
      return;
    }
    if (value >= 0 && value < state.queues.size()) {
      device.notifyQueue(value);
    }
  }

  @Holding("lock")
  private void writeStatus(int value) {
    if (value == 0) {
      reset();
      return;
    }
    int old = state.status;
    int status = value & ~Virtio.STATUS_DEVICE_NEEDS_RESET; // only the device sets that bit
    boolean featuresOk = (status & Virtio.STATUS_FEATURES_OK) != 0;
    if (featuresOk && (old & Virtio.STATUS_FEATURES_OK) == 0 && !featuresAcceptable()) {
      status &= ~Virtio.STATUS_FEATURES_OK; // 3.1.1 step 6: the driver reads it back and fails
    }
    state.status = status;
    if ((status & Virtio.STATUS_DRIVER_OK) != 0 && (old & Virtio.STATUS_DRIVER_OK) == 0) {
      activate();
    }
  }

  @Holding("lock")
  private boolean featuresAcceptable() {
    long features = state.driverFeatures;
    return Virtio.has(features, Virtio.F_VERSION_1) && (features & ~offeredFeatures) == 0;
  }

  @Holding("lock")
  private void activate() {
    if ((state.status & Virtio.STATUS_FEATURES_OK) == 0) {
      interrupts.enterNeedsReset(); // a legacy driver, or one that ignored a failed negotiation
      return;
    }
    if (interrupts.needsReset()) {
      return; // a queue setup already failed: the device stays down until the driver resets it
    }
    long features = state.driverFeatures;
    List<Virtqueue> queues = new ArrayList<>();
    for (QueueRegisters registers : state.queues) {
      queues.add(
          registers.ready
              ? new Virtqueue(
                  registers.layout(),
                  Virtio.has(features, Virtio.F_INDIRECT_DESC),
                  Virtio.has(features, Virtio.F_EVENT_IDX))
              : Virtqueue.disabled());
    }
    device.activate(new Activation(memory, queues, features, interrupts));
  }

  @Holding("lock")
  private void reset() {
    device.reset();
    state = new State(device.queueCount());
    interrupts.reset();
  }

  private long readConfig(int offset, int width) {
    checkConfigWidth(width);
    long value = 0;
    synchronized (lock) {
      for (int i = width - 1; i >= 0; i--) {
        int at = offset + i;
        int b = at < device.configSize() ? device.readConfig(at) & 0xFF : 0;
        value = value << 8 | b;
      }
    }
    return value;
  }

  private void writeConfig(int offset, int width, long value) {
    checkConfigWidth(width);
    synchronized (lock) {
      for (int i = 0; i < width; i++) {
        int at = offset + i;
        if (at < device.configSize()) {
          device.writeConfig(at, (int) (value >> (8 * i)) & 0xFF);
        }
      }
    }
  }

  private static void checkConfigWidth(int width) {
    if (width != 1 && width != 2 && width != 4 && width != 8) {
      throw DeviceAccessFault.INSTANCE;
    }
  }
}
