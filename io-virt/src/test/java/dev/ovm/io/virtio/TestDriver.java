package dev.ovm.io.virtio;

import static dev.ovm.io.virtio.MmioRegisters.*;

import dev.ovm.memory.GuestRam;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtio-mmio driver written in Java, for tests of the transport and the devices: it owns a
 * {@link GuestRam}, puts a {@link VirtioMmioTransport} in front of a device, and performs the
 * driver's side of virtio 1.2 3.1.1 (initialization) and 4.2.3.2 (queue configuration) through
 * register accesses only, as a guest kernel would. Queues are {@link DriverQueue}s; buffers come
 * from a bump allocator in RAM.
 */
final class TestDriver implements AutoCloseable {
  static final long RAM_BASE = 0x8000_0000L;
  static final long RAM_SIZE = 4L << 20;

  final GuestRam ram;
  final RecordingIrq irq = new RecordingIrq();
  final VirtioMmioTransport transport;
  /** Every queue layout allocated so far, in order. */
  final List<QueueLayout> layouts = new ArrayList<>();
  private long nextFree;

  TestDriver(VirtioDevice device) {
    this.ram = new GuestRam(RAM_BASE, RAM_SIZE);
    this.transport = new VirtioMmioTransport("virtio-test", device, ram, irq);
    this.nextFree = RAM_BASE + 0x1000;
  }

  /**
   * A driver over {@code ram} whose device sees the RAM through {@code deviceView} (a checking
   * wrapper, for fuzzing).
   */
  TestDriver(VirtioDevice device, GuestRam ram, dev.ovm.vmm.memory.GuestMemory deviceView) {
    this.ram = ram;
    this.transport = new VirtioMmioTransport("virtio-test", device, deviceView, irq);
    this.nextFree = ram.baseAddress() + 0x1000;
  }

  /** Reads a 32-bit control register. */
  int read(int register) {
    return (int) transport.read(register, 4);
  }

  /** Writes a 32-bit control register. */
  void write(int register, int value) {
    transport.write(register, 4, value & 0xFFFF_FFFFL);
  }

  /** Reads {@code width} bytes of the configuration space at {@code offset}. */
  long readConfig(int offset, int width) {
    return transport.read(CONFIG + offset, width);
  }

  int status() {
    return read(STATUS);
  }

  boolean needsReset() {
    return (status() & Virtio.STATUS_DEVICE_NEEDS_RESET) != 0;
  }

  /** The 64 feature bits the device offers (DeviceFeaturesSel 0 and 1). */
  long deviceFeatures() {
    write(DEVICE_FEATURES_SEL, 0);
    long low = read(DEVICE_FEATURES) & 0xFFFF_FFFFL;
    write(DEVICE_FEATURES_SEL, 1);
    long high = read(DEVICE_FEATURES) & 0xFFFF_FFFFL;
    return low | high << 32;
  }

  /**
   * Resets the device, sets ACKNOWLEDGE and DRIVER, writes {@code features}, sets FEATURES_OK and
   * reads it back (3.1.1 steps 1-6).
   *
   * @return true if the device accepted the features
   */
  boolean negotiate(long features) {
    write(STATUS, 0);
    write(STATUS, Virtio.STATUS_ACKNOWLEDGE);
    write(STATUS, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER);
    write(DRIVER_FEATURES_SEL, 0);
    write(DRIVER_FEATURES, (int) features);
    write(DRIVER_FEATURES_SEL, 1);
    write(DRIVER_FEATURES, (int) (features >> 32));
    write(STATUS, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_FEATURES_OK);
    return (status() & Virtio.STATUS_FEATURES_OK) != 0;
  }

  /** Allocates zeroed guest memory; returns its guest-physical address. */
  long allocate(long bytes, int alignment) {
    long address = (nextFree + alignment - 1) & -(long) alignment;
    if (address + bytes > ram.baseAddress() + ram.size()) {
      throw new IllegalStateException("test RAM exhausted");
    }
    nextFree = address + bytes;
    ram.write(address, new byte[(int) bytes], 0, (int) bytes); // 4.2.3.2: the driver zeroes it
    return address;
  }

  /** Allocates the rings of a queue of {@code size} entries. */
  QueueLayout allocateLayout(int size) {
    long descriptors = allocate(16L * size, 16);
    long available = allocate(6L + 2L * size, 2);
    long used = allocate(6L + 8L * size, 4);
    QueueLayout layout = new QueueLayout(size, descriptors, available, used);
    layouts.add(layout);
    return layout;
  }

  /** Writes the queue registers of queue {@code index} (4.2.3.2) without setting QueueReady. */
  void configureQueue(int index, QueueLayout layout) {
    write(QUEUE_SEL, index);
    write(QUEUE_NUM, layout.size());
    write(QUEUE_DESC_LOW, (int) layout.descriptorTable());
    write(QUEUE_DESC_HIGH, (int) (layout.descriptorTable() >> 32));
    write(QUEUE_DRIVER_LOW, (int) layout.availableRing());
    write(QUEUE_DRIVER_HIGH, (int) (layout.availableRing() >> 32));
    write(QUEUE_DEVICE_LOW, (int) layout.usedRing());
    write(QUEUE_DEVICE_HIGH, (int) (layout.usedRing() >> 32));
  }

  /** Allocates, configures and enables queue {@code index} with {@code size} entries. */
  DriverQueue setupQueue(int index, int size) {
    QueueLayout layout = allocateLayout(size);
    configureQueue(index, layout);
    write(QUEUE_READY, 1);
    return new DriverQueue(ram, layout, () -> write(QUEUE_NOTIFY, index));
  }

  /** Sets DRIVER_OK (3.1.1 step 8). */
  void driverOk() {
    write(STATUS, status() | Virtio.STATUS_DRIVER_OK);
  }

  /**
   * The whole initialization: negotiates {@code features} (which must be accepted), sets up one
   * queue per entry of {@code sizes} and sets DRIVER_OK.
   */
  List<DriverQueue> start(long features, int... sizes) {
    if (!negotiate(features)) {
      throw new IllegalStateException("device refused features 0x" + Long.toHexString(features));
    }
    List<DriverQueue> queues = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      queues.add(setupQueue(i, sizes[i]));
    }
    driverOk();
    return queues;
  }

  /** Reads InterruptStatus and acknowledges it, as the interrupt handler does (4.2.3.4). */
  int acknowledgeInterrupt() {
    int status = read(INTERRUPT_STATUS);
    write(INTERRUPT_ACK, status);
    return status;
  }

  /** A device-readable buffer holding {@code data}. */
  DriverQueue.Buffer readable(byte[] data) {
    long address = allocate(Math.max(1, data.length), 8);
    ram.write(address, data, 0, data.length);
    return new DriverQueue.Buffer(address, data.length, false);
  }

  /** A device-writable buffer of {@code length} bytes, filled with {@code fill}. */
  DriverQueue.Buffer writable(int length, int fill) {
    long address = allocate(Math.max(1, length), 8);
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) fill);
    ram.write(address, bytes, 0, length);
    return new DriverQueue.Buffer(address, length, true);
  }

  /** The bytes of guest RAM behind {@code buffer}. */
  byte[] contents(DriverQueue.Buffer buffer) {
    byte[] bytes = new byte[buffer.length()];
    ram.read(buffer.address(), bytes, 0, bytes.length);
    return bytes;
  }

  @Override
  public void close() {
    ram.close();
  }
}
