package dev.ovm.io.virtio;

import static dev.ovm.io.virtio.MmioRegisters.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.vmm.device.DeviceAccessFault;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtioMmioTransportTest {
  private static final long VERSION_1 = Virtio.bit(Virtio.F_VERSION_1);

  private final RecordingDevice device = new RecordingDevice();
  private final TestDriver driver = new TestDriver(device);

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void identifiesAsVersion2Device() {
    assertEquals(0x74726976, driver.read(MAGIC_VALUE));
    assertEquals(2, driver.read(VERSION));
    assertEquals(42, driver.read(DEVICE_ID));
    assertEquals(VirtioMmioTransport.VENDOR, driver.read(VENDOR_ID));
    assertEquals(0x1000, driver.transport.size());
  }

  @Test
  void emptyTransportShowsDeviceIdZeroAndIgnoresWrites() {
    VirtioMmioTransport empty = VirtioMmioTransport.empty();
    assertEquals(0x74726976, empty.read(MAGIC_VALUE, 4));
    assertEquals(2, empty.read(VERSION, 4));
    assertEquals(0, empty.read(DEVICE_ID, 4));
    empty.write(STATUS, 4, Virtio.STATUS_ACKNOWLEDGE);
    assertEquals(0, empty.read(STATUS, 4));
    empty.write(DEVICE_FEATURES_SEL, 4, 1);
    assertEquals(0, empty.read(DEVICE_FEATURES, 4));
    assertEquals(0, empty.read(QUEUE_NUM_MAX, 4));
    assertEquals(0, empty.read(CONFIG, 4));
  }

  @Test
  void offersDeviceFeaturesPlusVersion1IndirectAndEventIdx() {
    long expected =
        Virtio.bit(RecordingDevice.FEATURE_BIT)
            | VERSION_1
            | Virtio.bit(Virtio.F_INDIRECT_DESC)
            | Virtio.bit(Virtio.F_EVENT_IDX);
    assertEquals(expected, driver.deviceFeatures());
    driver.write(DEVICE_FEATURES_SEL, 2);
    assertEquals(0, driver.read(DEVICE_FEATURES));
  }

  @Test
  void refusesDriverWithoutVersion1() {
    assertFalse(driver.negotiate(Virtio.bit(RecordingDevice.FEATURE_BIT)));
    assertEquals(Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER, driver.status());
  }

  @Test
  void refusesFeaturesThatWereNotOffered() {
    assertFalse(driver.negotiate(VERSION_1 | Virtio.bit(7)));
    assertFalse(driver.negotiate(VERSION_1 | Virtio.bit(40)));
    assertTrue(driver.negotiate(VERSION_1 | Virtio.bit(RecordingDevice.FEATURE_BIT)));
  }

  @Test
  void driverFeaturesAreFrozenAfterFeaturesOk() {
    assertTrue(driver.negotiate(VERSION_1));
    driver.write(DRIVER_FEATURES_SEL, 0);
    driver.write(DRIVER_FEATURES, (int) Virtio.bit(RecordingDevice.FEATURE_BIT));
    driver.driverOk();
    assertNotNull(device.activation);
    assertEquals(VERSION_1, device.activation.features());
  }

  @Test
  void driverOkActivatesWithReadyQueuesAndNegotiatedFeatures() {
    long features = VERSION_1 | Virtio.bit(Virtio.F_EVENT_IDX);
    assertTrue(driver.negotiate(features));
    driver.setupQueue(0, 8);
    assertNull(device.activation);
    driver.driverOk();
    Activation activation = device.activation;
    assertNotNull(activation);
    assertEquals(features, activation.features());
    assertEquals(2, activation.queues().size());
    assertTrue(activation.queue(0).isEnabled());
    assertEquals(8, activation.queue(0).layout().size());
    assertFalse(activation.queue(1).isEnabled(), "queue 1 was never made ready");
    assertEquals(
        Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_FEATURES_OK | Virtio.STATUS_DRIVER_OK,
        driver.status());
  }

  @Test
  void driverOkWithoutFeaturesOkNeedsReset() {
    driver.write(STATUS, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DRIVER | Virtio.STATUS_DRIVER_OK);
    assertNull(device.activation);
    assertTrue(driver.needsReset());
    assertEquals(InterruptState.CONFIG_CHANGE, driver.read(INTERRUPT_STATUS));
    assertTrue(driver.irq.level());
  }

  @Test
  void queueNumMaxAndReadyPerQueue() {
    driver.write(QUEUE_SEL, 1);
    assertEquals(16, driver.read(QUEUE_NUM_MAX));
    assertEquals(0, driver.read(QUEUE_READY));
    driver.write(QUEUE_SEL, 2);
    assertEquals(0, driver.read(QUEUE_NUM_MAX), "queue 2 does not exist");
    driver.write(QUEUE_READY, 1);
    assertEquals(0, driver.read(QUEUE_READY));
    driver.write(QUEUE_SEL, -1);
    assertEquals(0, driver.read(QUEUE_NUM_MAX));
  }

  @Test
  void queueReadyAcceptsValidLayoutAndReadsBack() {
    assertTrue(driver.negotiate(VERSION_1));
    driver.setupQueue(1, 16);
    driver.write(QUEUE_SEL, 1);
    assertEquals(1, driver.read(QUEUE_READY));
    assertFalse(driver.needsReset());
    driver.write(QUEUE_READY, 0);
    assertEquals(0, driver.read(QUEUE_READY), "the driver may stop using a queue (4.2.2.2)");
  }

  @Test
  void queueReadyRejectsSizeNotPowerOfTwo() {
    assertRejectedLayout(new QueueLayout(12, 0x8001_0000L, 0x8002_0000L, 0x8003_0000L));
  }

  @Test
  void queueReadyRejectsSizeAboveMaximum() {
    assertRejectedLayout(new QueueLayout(32, 0x8001_0000L, 0x8002_0000L, 0x8003_0000L));
  }

  @Test
  void queueReadyRejectsSizeZero() {
    assertRejectedLayout(new QueueLayout(0, 0x8001_0000L, 0x8002_0000L, 0x8003_0000L));
  }

  @Test
  void queueReadyRejectsMisalignedParts() {
    assertRejectedLayout(new QueueLayout(8, 0x8001_0008L, 0x8002_0000L, 0x8003_0000L));
    assertRejectedLayout(new QueueLayout(8, 0x8001_0000L, 0x8002_0001L, 0x8003_0000L));
    assertRejectedLayout(new QueueLayout(8, 0x8001_0000L, 0x8002_0000L, 0x8003_0002L));
  }

  @Test
  void queueReadyRejectsRingsOutsideRam() {
    assertRejectedLayout(new QueueLayout(8, 0x1000L, 0x8002_0000L, 0x8003_0000L));
    long end = TestDriver.RAM_BASE + TestDriver.RAM_SIZE;
    assertRejectedLayout(new QueueLayout(8, 0x8001_0000L, 0x8002_0000L, end - 16));
    assertRejectedLayout(new QueueLayout(8, 0x8001_0000L, end - 4, 0x8003_0000L));
    assertRejectedLayout(new QueueLayout(8, 0xFFFF_FFFF_FFFF_FFF0L, 0x8002_0000L, 0x8003_0000L));
  }

  private void assertRejectedLayout(QueueLayout layout) {
    assertTrue(driver.negotiate(VERSION_1));
    driver.configureQueue(0, layout);
    driver.write(QUEUE_READY, 1);
    assertEquals(0, driver.read(QUEUE_READY), layout.toString());
    assertTrue(driver.needsReset(), layout.toString());
    assertEquals(InterruptState.CONFIG_CHANGE, driver.read(INTERRUPT_STATUS) & InterruptState.CONFIG_CHANGE);
    driver.driverOk();
    assertNull(device.activation, "a device in DEVICE_NEEDS_RESET is not activated");
  }

  @Test
  void queueRegistersCannotChangeWhileReady() {
    assertTrue(driver.negotiate(VERSION_1));
    DriverQueue queue = driver.setupQueue(0, 8);
    driver.write(QUEUE_NUM, 4);
    driver.write(QUEUE_DESC_LOW, 0x1234_0000);
    driver.driverOk();
    assertEquals(queue.layout, device.activation.queue(0).layout());
  }

  @Test
  void notificationsReachTheDeviceOnlyAfterDriverOk() {
    assertTrue(driver.negotiate(VERSION_1));
    driver.setupQueue(0, 8);
    driver.write(QUEUE_NOTIFY, 0);
    assertTrue(device.notified.isEmpty(), "no notification before DRIVER_OK");
    driver.driverOk();
    driver.write(QUEUE_NOTIFY, 1);
    driver.write(QUEUE_NOTIFY, 2);
    driver.write(QUEUE_NOTIFY, -1);
    assertEquals(java.util.List.of(1), device.notified, "indices without a queue are ignored");
  }

  @Test
  void interruptStatusFollowsRaiseAndAcknowledge() {
    InterruptState interrupts = driver.transport.interrupts();
    interrupts.raise(InterruptState.USED_BUFFER);
    assertEquals(1, driver.read(INTERRUPT_STATUS));
    assertTrue(driver.irq.level());
    interrupts.raise(InterruptState.CONFIG_CHANGE);
    driver.write(INTERRUPT_ACK, 1);
    assertEquals(2, driver.read(INTERRUPT_STATUS));
    assertTrue(driver.irq.level(), "still asserted while a bit is set");
    driver.write(INTERRUPT_ACK, 2 | 0xF0);
    assertEquals(0, driver.read(INTERRUPT_STATUS));
    assertFalse(driver.irq.level());
  }

  @Test
  void writingStatusZeroResetsDeviceQueuesAndInterrupts() {
    driver.start(VERSION_1, 8, 8);
    int resetsBefore = device.resets;
    driver.transport.interrupts().raise(InterruptState.USED_BUFFER);
    driver.transport.interrupts().enterNeedsReset();
    driver.write(STATUS, 0);
    assertEquals(0, driver.status());
    assertEquals(0, driver.read(INTERRUPT_STATUS));
    assertFalse(driver.irq.level());
    assertEquals(resetsBefore + 1, device.resets);
    for (int q = 0; q < 2; q++) {
      driver.write(QUEUE_SEL, q);
      assertEquals(0, driver.read(QUEUE_READY), "4.2.2.1: reset clears QueueReady");
    }
    driver.start(VERSION_1, 8);
    assertNotNull(device.activation, "the device can be brought up again");
  }

  @Test
  void driverCannotSetNeedsReset() {
    driver.write(STATUS, Virtio.STATUS_ACKNOWLEDGE | Virtio.STATUS_DEVICE_NEEDS_RESET);
    assertEquals(Virtio.STATUS_ACKNOWLEDGE, driver.status());
  }

  @Test
  void controlRegistersFaultOnNarrowOrMisalignedAccess() {
    assertThrows(DeviceAccessFault.class, () -> driver.transport.read(MAGIC_VALUE, 2));
    assertThrows(DeviceAccessFault.class, () -> driver.transport.read(MAGIC_VALUE, 8));
    assertThrows(DeviceAccessFault.class, () -> driver.transport.read(VERSION + 1, 1));
    assertThrows(DeviceAccessFault.class, () -> driver.transport.write(STATUS, 1, 1));
  }

  @Test
  void configSpaceIsLittleEndianAtAnyWidth() {
    assertEquals(0x11, driver.readConfig(0, 1));
    assertEquals(0x1312, driver.readConfig(1, 2));
    assertEquals(0x1817_1615L, driver.readConfig(4, 4));
    assertEquals(0x1817_1615_1413_1211L, driver.readConfig(0, 8));
    assertEquals(0x18, driver.readConfig(7, 4), "bytes past the configuration read 0");
    assertEquals(0, driver.readConfig(0x100, 4));
    driver.transport.write(CONFIG + 2, 2, 0xBBAA);
    assertEquals(0x15BB_AA12L, driver.readConfig(1, 4));
  }

  @Test
  void sharedMemoryRegionsReadAsAbsent() {
    driver.write(SHM_SEL, 0);
    assertEquals(-1, driver.read(SHM_LEN_LOW));
    assertEquals(-1, driver.read(SHM_LEN_HIGH));
    assertEquals(-1, driver.read(SHM_BASE_LOW));
    assertEquals(-1, driver.read(SHM_BASE_HIGH));
    assertEquals(0, driver.read(CONFIG_GENERATION));
  }

  @Test
  void randomRegisterAccessesOnlyEverFault() {
    // Like io.device.MmioFuzz: arbitrary guest accesses may fault, never throw anything else.
    Random random = new Random(1);
    int[] widths = {1, 2, 4, 8};
    int faults = 0;
    for (int i = 0; i < 200_000; i++) {
      int width = widths[random.nextInt(4)];
      long offset = random.nextInt(4) == 0 ? random.nextInt(0x1000 - 8) : random.nextInt(0x110) & ~3;
      long value = random.nextBoolean() ? random.nextInt(16) : random.nextLong();
      try {
        if (random.nextBoolean()) {
          driver.transport.write(offset, width, value);
        } else {
          driver.transport.read(offset, width);
        }
      } catch (DeviceAccessFault expected) {
        faults++;
      }
    }
    assertTrue(faults > 0 && faults < 200_000);
  }
}
