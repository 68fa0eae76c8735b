package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Buffer;
import dev.ovm.io.virtio.DriverQueue.Used;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtioBlockTest {
  private static final long FEATURES =
      Virtio.bit(Virtio.F_VERSION_1) | Virtio.bit(VirtioBlock.F_FLUSH) | Virtio.bit(VirtioBlock.F_SEG_MAX);
  private static final int SECTORS = 64;

  @TempDir Path directory;

  private TestDriver driver;
  private DriverQueue queue;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private VirtioBlock startWith(VirtioBlock block, long features) {
    close();
    driver = new TestDriver(block);
    queue = driver.start(features, 16).getFirst();
    return block;
  }

  private Path image(byte[] contents) throws IOException {
    Path path = directory.resolve("disk.img");
    Files.write(path, contents);
    return path;
  }

  private static byte[] pattern(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] header(int type, long sector) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector).array();
  }

  /** Submits a request, notifies, and returns its used element; {@code status} gets the status. */
  private Used run(Buffer... buffers) {
    queue.submit(buffers);
    queue.kick();
    List<Used> used = queue.takeUsed();
    assertEquals(1, used.size(), "one completion");
    return used.getFirst();
  }

  private int status(Buffer statusBuffer) {
    return driver.contents(statusBuffer)[0] & 0xFF;
  }

  @Test
  void identifiesAsBlockDeviceWithCapacityAndFeatures() throws IOException {
    VirtioBlock block = VirtioBlock.open(image(new byte[SECTORS * 512 + 100]), false);
    driver = new TestDriver(block);
    assertEquals(Virtio.ID_BLOCK, driver.read(MmioRegisters.DEVICE_ID));
    assertEquals(SECTORS, driver.readConfig(0, 8), "capacity in whole 512-byte sectors");
    assertEquals(SECTORS, driver.readConfig(0, 4));
    assertEquals(VirtioBlock.QUEUE_SIZE - 2, driver.readConfig(12, 4), "seg_max");
    assertEquals(512, driver.readConfig(20, 4), "blk_size");
    long offered = driver.deviceFeatures();
    assertTrue(Virtio.has(offered, VirtioBlock.F_FLUSH));
    assertFalse(Virtio.has(offered, VirtioBlock.F_RO));
    block.close();
  }

  @Test
  void writeThenReadRoundTripsThroughTheImageFile() throws IOException {
    Path path = image(new byte[SECTORS * 512]);
    VirtioBlock block = startWith(VirtioBlock.open(path, false), FEATURES);
    byte[] data = pattern(3 * 512, 7);
    Buffer status = driver.writable(1, 0xFF);
    Used written = run(driver.readable(header(VirtioBlock.T_OUT, 5)), driver.readable(data), status);
    assertEquals(VirtioBlock.S_OK, status(status));
    assertEquals(1, written.length());

    Buffer readBack = driver.writable(3 * 512, 0);
    Buffer readStatus = driver.writable(1, 0xFF);
    Used read = run(driver.readable(header(VirtioBlock.T_IN, 5)), readBack, readStatus);
    assertEquals(VirtioBlock.S_OK, status(readStatus));
    assertEquals(3 * 512 + 1, read.length());
    assertArrayEquals(data, driver.contents(readBack));

    Buffer flushStatus = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), flushStatus);
    assertEquals(VirtioBlock.S_OK, status(flushStatus));
    block.close();
    byte[] file = Files.readAllBytes(path);
    assertArrayEquals(data, Arrays.copyOfRange(file, 5 * 512, 8 * 512));
    assertEquals(0, file[5 * 512 - 1]);
    assertEquals(0, file[8 * 512]);
  }

  @Test
  void readGathersIntoManySegmentsAndIndirectTables() throws IOException {
    byte[] contents = pattern(SECTORS * 512, 3);
    startWith(VirtioBlock.open(image(contents), false), FEATURES | Virtio.bit(Virtio.F_INDIRECT_DESC));
    Buffer a = driver.writable(100, 0);
    Buffer b = driver.writable(900, 0);
    Buffer c = driver.writable(24, 0);
    Buffer status = driver.writable(1, 0xFF);
    queue.submitIndirect(driver.allocate(5 * 16, 16), driver.readable(header(VirtioBlock.T_IN, 2)), a, b, c, status);
    queue.kick();
    assertEquals(List.of(new Used(0, 1025)), queue.takeUsed());
    byte[] expected = Arrays.copyOfRange(contents, 2 * 512, 4 * 512);
    byte[] actual = new byte[1024];
    System.arraycopy(driver.contents(a), 0, actual, 0, 100);
    System.arraycopy(driver.contents(b), 0, actual, 100, 900);
    System.arraycopy(driver.contents(c), 0, actual, 1000, 24);
    assertArrayEquals(expected, actual);
    assertEquals(VirtioBlock.S_OK, status(status));
  }

  @Test
  void flushReachesTheBackendBeforeCompletion() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    run(driver.readable(header(VirtioBlock.T_OUT, 0)), driver.readable(pattern(512, 1)), driver.writable(1, 0xFF));
    assertEquals(512, backend.unflushedBytes, "with FLUSH negotiated writes are write-back");
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), status);
    assertEquals(VirtioBlock.S_OK, status(status));
    assertEquals(1, backend.flushes);
    assertEquals(0, backend.unflushedBytes);
  }

  @Test
  void writesAreWriteThroughWithoutFlushFeature() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), Virtio.bit(Virtio.F_VERSION_1));
    run(driver.readable(header(VirtioBlock.T_OUT, 0)), driver.readable(pattern(512, 1)), driver.writable(1, 0xFF));
    assertEquals(1, backend.flushes);
    assertEquals(0, backend.unflushedBytes);
  }

  @Test
  void getIdReturnsTheSerial() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "serial-0123456789abcdefXYZ"), FEATURES);
    Buffer id = driver.writable(VirtioBlock.ID_BYTES, 0xEE);
    Buffer status = driver.writable(1, 0xFF);
    Used used = run(driver.readable(header(VirtioBlock.T_GET_ID, 0)), id, status);
    assertEquals("serial-0123456789abc", new String(driver.contents(id), java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(VirtioBlock.S_OK, status(status));
    assertEquals(21, used.length());

    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "ab"), FEATURES);
    Buffer shortId = driver.writable(4, 0xEE);
    Used shortUsed = run(driver.readable(header(VirtioBlock.T_GET_ID, 0)), shortId, driver.writable(1, 0xFF));
    assertEquals(5, shortUsed.length());
    assertArrayEquals(new byte[] {'a', 'b', 0, 0}, driver.contents(shortId), "NUL-padded");
  }

  @Test
  void readOnlyDeviceOffersRoAndFailsWritesWithoutWriting() throws IOException {
    byte[] contents = pattern(SECTORS * 512, 9);
    Path path = image(contents);
    VirtioBlock block = VirtioBlock.open(path, true);
    driver = new TestDriver(block);
    assertTrue(Virtio.has(driver.deviceFeatures(), VirtioBlock.F_RO));
    queue = driver.start(FEATURES | Virtio.bit(VirtioBlock.F_RO), 16).getFirst();
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_OUT, 1)), driver.readable(new byte[512]), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
    Buffer data = driver.writable(512, 0);
    Buffer readStatus = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_IN, 1)), data, readStatus);
    assertEquals(VirtioBlock.S_OK, status(readStatus));
    assertArrayEquals(Arrays.copyOfRange(contents, 512, 1024), driver.contents(data));
    Buffer flushStatus = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), flushStatus);
    assertEquals(VirtioBlock.S_OK, status(flushStatus));
    block.close();
    assertArrayEquals(contents, Files.readAllBytes(path));
  }

  @Test
  void sectorsOutsideTheCapacityFail() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    long[][] cases = {{SECTORS - 1, 1, VirtioBlock.S_OK}, {SECTORS, 1, VirtioBlock.S_IOERR},
        {SECTORS - 1, 2, VirtioBlock.S_IOERR}, {-1, 1, VirtioBlock.S_IOERR},
        {Long.MAX_VALUE, 1, VirtioBlock.S_IOERR}, {0x0080_0000_0000_0000L, 1, VirtioBlock.S_IOERR}};
    for (long[] c : cases) {
      for (int type : new int[] {VirtioBlock.T_IN, VirtioBlock.T_OUT}) {
        Buffer data = type == VirtioBlock.T_IN ? driver.writable((int) c[1] * 512, 0x5A)
            : driver.readable(pattern((int) c[1] * 512, c[0]));
        Buffer status = driver.writable(1, 0xFF);
        Used used = run(driver.readable(header(type, c[0])), data, status);
        assertEquals(c[2], status(status), "sector " + c[0] + " count " + c[1] + " type " + type);
        if (c[2] != VirtioBlock.S_OK && type == VirtioBlock.T_IN) {
          assertEquals(0, used.length(), "nothing claimed written");
          assertEquals(0x5A, driver.contents(data)[0], "no data written");
        }
      }
    }
    assertFalse(driver.needsReset());
  }

  @Test
  void dataNotAMultipleOfTheSectorSizeFails() {
    startWith(new VirtioBlock(new MemoryBlockBackend(SECTORS * 512, false), "mem"), FEATURES);
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_IN, 0)), driver.writable(511, 0), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
    Buffer writeStatus = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_OUT, 0)), driver.readable(new byte[513]), writeStatus);
    assertEquals(VirtioBlock.S_IOERR, status(writeStatus));
  }

  @Test
  void unknownRequestTypeIsUnsupported() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    for (int type : new int[] {2, 11, 13, 0x7FFF_FFFF, -1}) {
      Buffer status = driver.writable(1, 0xFF);
      run(driver.readable(header(type, 0)), status);
      assertEquals(VirtioBlock.S_UNSUPP, status(status), "type " + type);
    }
  }

  @Test
  void shortHeaderFails() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(new byte[15]), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
  }

  @Test
  void headerSplitAcrossBuffersIsAccepted() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    byte[] header = header(VirtioBlock.T_OUT, 3);
    byte[] data = pattern(512, 4);
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(Arrays.copyOf(header, 5)), driver.readable(Arrays.copyOfRange(header, 5, 16)),
        driver.readable(data), status);
    assertEquals(VirtioBlock.S_OK, status(status));
    assertArrayEquals(data, Arrays.copyOfRange(backend.bytes, 3 * 512, 4 * 512));
  }

  @Test
  void hostIoErrorsBecomeIoerr() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    backend.failing = true;
    for (int type : new int[] {VirtioBlock.T_IN, VirtioBlock.T_OUT, VirtioBlock.T_FLUSH}) {
      Buffer status = driver.writable(1, 0xFF);
      if (type == VirtioBlock.T_FLUSH) {
        run(driver.readable(header(type, 0)), status);
      } else if (type == VirtioBlock.T_IN) {
        run(driver.readable(header(type, 0)), driver.writable(512, 0), status);
      } else {
        run(driver.readable(header(type, 0)), driver.readable(new byte[512]), status);
      }
      assertEquals(VirtioBlock.S_IOERR, status(status), "type " + type);
    }
    assertFalse(driver.needsReset());
  }

  @Test
  void completionRaisesUsedBufferInterrupt() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    assertFalse(driver.irq.level());
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), driver.writable(1, 0xFF));
    assertTrue(driver.irq.level());
    assertEquals(InterruptState.USED_BUFFER, driver.acknowledgeInterrupt());
    assertFalse(driver.irq.level());
  }

  @Test
  void noInterruptFlagSuppressesTheInterrupt() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    queue.setAvailFlags(Virtqueue.VIRTQ_AVAIL_F_NO_INTERRUPT);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), driver.writable(1, 0xFF));
    assertFalse(driver.irq.level());
    assertEquals(0, driver.read(MmioRegisters.INTERRUPT_STATUS));
  }

  @Test
  void eventIdxSuppressesInterruptsUntilUsedEvent() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES | Virtio.bit(Virtio.F_EVENT_IDX));
    queue.setUsedEvent(1);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), driver.writable(1, 0xFF));
    assertFalse(driver.irq.level(), "used idx 1 has not passed used_event 1");
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), driver.writable(1, 0xFF));
    assertTrue(driver.irq.level());
    assertEquals(2, queue.availEvent());
  }

  @Test
  void requestsMadeAvailableBeforeDriverOkAreProcessedOnActivation() {
    MemoryBlockBackend backend = new MemoryBlockBackend(512, false);
    driver = new TestDriver(new VirtioBlock(backend, "mem"));
    assertTrue(driver.negotiate(FEATURES));
    queue = driver.setupQueue(0, 16);
    Buffer status = driver.writable(1, 0xFF);
    queue.submit(driver.readable(header(VirtioBlock.T_FLUSH, 0)), status);
    queue.kick();
    assertEquals(0, queue.usedIdx(), "not before DRIVER_OK");
    driver.driverOk();
    assertEquals(1, queue.usedIdx());
    assertEquals(VirtioBlock.S_OK, status(status));
  }

  // --- malformed chains: the request fails, the VMM keeps running ---

  @Test
  void bufferOutsideRamFailsThatRequestOnly() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    Buffer status = driver.writable(1, 0xFF);
    Used used = run(driver.readable(header(VirtioBlock.T_IN, 0)), new Buffer(0x1000, 512, true), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
    assertEquals(0, used.length());
    assertFalse(driver.needsReset());
    Buffer next = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), next);
    assertEquals(VirtioBlock.S_OK, status(next), "the next request works");
  }

  @Test
  void writableBeforeReadableFailsThatRequest() {
    MemoryBlockBackend backend = new MemoryBlockBackend(SECTORS * 512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    Buffer status = driver.writable(1, 0xFF);
    run(driver.writable(16, 0), driver.readable(header(VirtioBlock.T_OUT, 0)), driver.readable(new byte[512]), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
    assertEquals(0, backend.unflushedBytes, "nothing was written");
  }

  @Test
  void zeroLengthBufferFailsThatRequest() {
    startWith(new VirtioBlock(new MemoryBlockBackend(SECTORS * 512, false), "mem"), FEATURES);
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_IN, 0)), driver.writable(0, 0), status);
    assertEquals(VirtioBlock.S_IOERR, status(status));
    assertFalse(driver.needsReset());
  }

  @Test
  void requestWithoutStatusByteNeedsReset() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    queue.submit(driver.readable(header(VirtioBlock.T_FLUSH, 0)));
    queue.kick();
    assertTrue(driver.needsReset());
    assertTrue(driver.irq.level());
    assertEquals(InterruptState.CONFIG_CHANGE, driver.read(MmioRegisters.INTERRUPT_STATUS));
  }

  @Test
  void loopNeedsResetAndTheDeviceRecoversAfterReset() {
    MemoryBlockBackend backend = new MemoryBlockBackend(512, false);
    startWith(new VirtioBlock(backend, "mem"), FEATURES);
    queue.writeDescriptor(0, TestDriver.RAM_BASE, 16, DriverQueue.NEXT, 1);
    queue.writeDescriptor(1, TestDriver.RAM_BASE, 16, DriverQueue.NEXT, 0);
    queue.publish(0);
    queue.kick();
    assertTrue(driver.needsReset());
    assertEquals(0, queue.usedIdx());
    queue.submit(driver.readable(header(VirtioBlock.T_FLUSH, 0)), driver.writable(1, 0xFF));
    queue.kick();
    assertEquals(0, queue.usedIdx(), "a device in DEVICE_NEEDS_RESET processes nothing");

    queue = driver.start(FEATURES, 16).getFirst();
    assertFalse(driver.needsReset());
    Buffer status = driver.writable(1, 0xFF);
    run(driver.readable(header(VirtioBlock.T_FLUSH, 0)), status);
    assertEquals(VirtioBlock.S_OK, status(status));
  }

  @Test
  void headIndexOutOfRangeNeedsReset() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    queue.publish(16);
    queue.kick();
    assertTrue(driver.needsReset());
  }

  @Test
  void nextIndexOutOfRangeNeedsReset() {
    startWith(new VirtioBlock(new MemoryBlockBackend(512, false), "mem"), FEATURES);
    Buffer header = driver.readable(header(VirtioBlock.T_FLUSH, 0));
    queue.writeDescriptor(0, header.address(), 16, DriverQueue.NEXT, 0xFFFF);
    queue.publish(0);
    queue.kick();
    assertTrue(driver.needsReset());
  }
}
