package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Buffer;
import dev.ovm.memory.GuestRam;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The split virtqueue on its own, against chains written by {@link DriverQueue}. */
class VirtqueueTest {
  private static final long BASE = 0x8000_0000L;
  private static final long SIZE = 4L << 20;
  private static final long DATA = BASE + 0x10_0000L;

  private final GuestRam ram = new GuestRam(BASE, SIZE);
  private final QueueLayout layout = new QueueLayout(8, BASE + 0x1000, BASE + 0x2000, BASE + 0x3000);
  private final DriverQueue driver = new DriverQueue(ram, layout, () -> {});
  private Virtqueue queue = new Virtqueue(layout, true, false);

  @AfterEach
  void close() {
    ram.close();
  }

  private static Buffer in(long address, int length) {
    return new Buffer(address, length, false);
  }

  private static Buffer out(long address, int length) {
    return new Buffer(address, length, true);
  }

  @Test
  void emptyRingYieldsNothing() {
    assertInstanceOf(PopResult.Empty.class, queue.pop(ram));
  }

  @Test
  void popsChainWithReadableThenWritableBuffers() {
    int head = driver.submit(in(DATA, 16), in(DATA + 100, 4), out(DATA + 200, 32));
    DescriptorChain chain = assertInstanceOf(DescriptorChain.class, queue.pop(ram));
    assertEquals(head, chain.head());
    assertEquals(20, chain.readableLength());
    assertEquals(32, chain.writableLength());
    assertEquals(
        List.of(new Segment(DATA, 16, false), new Segment(DATA + 100, 4, false), new Segment(DATA + 200, 32, true)),
        chain.segments());
    assertInstanceOf(PopResult.Empty.class, queue.pop(ram));
  }

  @Test
  void chainStreamsSpanSegments() {
    ram.write(DATA, new byte[] {1, 2, 3}, 0, 3);
    ram.write(DATA + 100, new byte[] {4, 5}, 0, 2);
    driver.submit(in(DATA, 3), in(DATA + 100, 2), out(DATA + 200, 2), out(DATA + 300, 3));
    DescriptorChain chain = (DescriptorChain) queue.pop(ram);
    byte[] read = new byte[4];
    chain.read(ram, 1, read, 0, 4);
    assertArrayEquals(new byte[] {2, 3, 4, 5}, read);
    chain.write(ram, 1, new byte[] {9, 8, 7}, 0, 3);
    byte[] first = new byte[2];
    byte[] second = new byte[3];
    ram.read(DATA + 200, first, 0, 2);
    ram.read(DATA + 300, second, 0, 3);
    assertArrayEquals(new byte[] {0, 9}, first);
    assertArrayEquals(new byte[] {8, 7, 0}, second);
    assertThrows(IllegalArgumentException.class, () -> chain.write(ram, 3, new byte[3], 0, 3));
  }

  @Test
  void usedRingReceivesElementsInOrder() {
    int a = driver.submit(out(DATA, 8));
    int b = driver.submit(out(DATA + 8, 8));
    DescriptorChain first = (DescriptorChain) queue.pop(ram);
    DescriptorChain second = (DescriptorChain) queue.pop(ram);
    queue.addUsed(ram, second.head(), 3);
    queue.addUsed(ram, first.head(), 8);
    assertEquals(List.of(new DriverQueue.Used(b, 3), new DriverQueue.Used(a, 8)), driver.takeUsed());
    assertThrows(IllegalArgumentException.class, () -> queue.addUsed(ram, 8, 0));
  }

  @Test
  void ringIndicesWrapAround() {
    for (int i = 0; i < 70_000; i++) {
      driver.submit(out(DATA, 4));
      DescriptorChain chain = assertInstanceOf(DescriptorChain.class, queue.pop(ram));
      queue.addUsed(ram, chain.head(), 4);
    }
    assertEquals(70_000 & 0xFFFF, driver.usedIdx());
  }

  @Test
  void headOutOfRangeBreaksTheRing() {
    driver.publish(8);
    assertEquals(new PopResult.RingFault(ChainError.HEAD_OUT_OF_RANGE), queue.pop(ram));
    driver.submit(out(DATA, 4));
    assertInstanceOf(PopResult.Empty.class, queue.pop(ram), "a broken queue offers nothing more");
  }

  @Test
  void availableIndexJumpBreaksTheRing() {
    driver.setAvailIdx(9);
    assertEquals(new PopResult.RingFault(ChainError.AVAIL_INDEX_JUMP), queue.pop(ram));
  }

  @Test
  void nextOutOfRangeFailsTheChain() {
    driver.writeDescriptor(0, DATA, 16, DriverQueue.NEXT, 8);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.NEXT_OUT_OF_RANGE, -1), queue.pop(ram));
    driver.submit(out(DATA, 4));
    assertInstanceOf(DescriptorChain.class, queue.pop(ram), "only that chain fails");
  }

  @Test
  void loopIsDetected() {
    driver.writeDescriptor(0, DATA, 16, DriverQueue.NEXT, 1);
    driver.writeDescriptor(1, DATA, 16, DriverQueue.NEXT, 0);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.CHAIN_TOO_LONG, -1), queue.pop(ram));
  }

  @Test
  void selfLoopIsDetected() {
    driver.writeDescriptor(3, DATA, 16, DriverQueue.NEXT | DriverQueue.WRITE, 3);
    driver.publish(3);
    assertEquals(new PopResult.InvalidChain(3, ChainError.CHAIN_TOO_LONG, -1), queue.pop(ram));
  }

  @Test
  void chainOfExactlyQueueSizeIsAccepted() {
    Buffer[] buffers = new Buffer[8];
    for (int i = 0; i < 8; i++) {
      buffers[i] = out(DATA + 16L * i, 16);
    }
    driver.submit(buffers);
    assertEquals(8, ((DescriptorChain) queue.pop(ram)).segments().size());
  }

  @Test
  void chainLongerThanQueueSizeIsRejectedEvenWithoutLoop() {
    Buffer[] buffers = new Buffer[9]; // an indirect table of 9 distinct entries, queue size 8
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = out(DATA + 16L * i, 16);
    }
    driver.submitIndirect(DATA + 0x1000, buffers);
    assertEquals(new PopResult.InvalidChain(0, ChainError.CHAIN_TOO_LONG, -1), queue.pop(ram));
    driver.submitIndirect(DATA + 0x2000, java.util.Arrays.copyOf(buffers, 8));
    assertInstanceOf(DescriptorChain.class, queue.pop(ram), "8 = the queue size is allowed");
  }

  @Test
  void bufferOutsideRamFailsTheChainWithStatusAddress() {
    driver.submit(in(BASE + SIZE - 8, 16), out(DATA, 4));
    assertEquals(new PopResult.InvalidChain(0, ChainError.BUFFER_OUTSIDE_RAM, DATA + 3), queue.pop(ram));
    driver.submit(in(0x1000, 16), out(DATA, 4));
    assertEquals(new PopResult.InvalidChain(2, ChainError.BUFFER_OUTSIDE_RAM, DATA + 3), queue.pop(ram));
  }

  @Test
  void writableBufferOutsideRamHasNoStatusAddress() {
    driver.submit(in(DATA, 16), out(BASE + SIZE - 2, 4));
    assertEquals(new PopResult.InvalidChain(0, ChainError.BUFFER_OUTSIDE_RAM, -1), queue.pop(ram));
  }

  @Test
  void bufferWrappingTheAddressSpaceIsOutsideRam() {
    driver.writeDescriptor(0, 0xFFFF_FFFF_FFFF_FFF0L, 0x100, DriverQueue.NEXT, 1);
    driver.writeDescriptor(1, DATA, 1, DriverQueue.WRITE, 0);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.BUFFER_OUTSIDE_RAM, DATA), queue.pop(ram));
  }

  @Test
  void writableBeforeReadableFailsTheChain() {
    driver.submit(out(DATA, 4), in(DATA + 8, 4), out(DATA + 16, 1));
    assertEquals(
        new PopResult.InvalidChain(0, ChainError.WRITABLE_BEFORE_READABLE, DATA + 16), queue.pop(ram));
  }

  @Test
  void zeroLengthBufferFailsTheChain() {
    driver.submit(in(DATA, 0), out(DATA + 16, 1));
    assertEquals(new PopResult.InvalidChain(0, ChainError.ZERO_LENGTH, DATA + 16), queue.pop(ram));
  }

  @Test
  void chainOfMoreThanFourGigabytesIsTooLarge() {
    QueueLayout big = new QueueLayout(2048, BASE + 0x1_0000, BASE + 0x2_0000, BASE + 0x3_0000);
    DriverQueue bigDriver = new DriverQueue(ram, big, () -> {});
    Buffer[] buffers = new Buffer[1100];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = in(BASE, (int) SIZE); // every buffer is all of RAM: 1100 * 4 MiB > 4 GiB
    }
    bigDriver.submit(buffers);
    PopResult result = new Virtqueue(big, false, false).pop(ram);
    assertEquals(new PopResult.InvalidChain(0, ChainError.TOO_LARGE, -1), result);
  }

  @Test
  void indirectTableIsFollowed() {
    long table = DATA + 0x1000;
    int head = driver.submitIndirect(table, in(DATA, 16), out(DATA + 64, 8), out(DATA + 128, 1));
    DescriptorChain chain = assertInstanceOf(DescriptorChain.class, queue.pop(ram));
    assertEquals(head, chain.head());
    assertEquals(16, chain.readableLength());
    assertEquals(9, chain.writableLength());
  }

  @Test
  void directDescriptorsFollowedByIndirectTable() {
    long table = DATA + 0x1000;
    driver.writeDescriptorAt(table, DATA + 64, 8, DriverQueue.WRITE, 0);
    driver.writeDescriptor(0, DATA, 16, DriverQueue.NEXT, 1);
    driver.writeDescriptor(1, table, 16, DriverQueue.INDIRECT | DriverQueue.WRITE, 0);
    driver.publish(0);
    DescriptorChain chain = assertInstanceOf(DescriptorChain.class, queue.pop(ram));
    assertEquals(List.of(new Segment(DATA, 16, false), new Segment(DATA + 64, 8, true)), chain.segments());
  }

  @Test
  void indirectWithoutNegotiationFailsTheChain() {
    queue = new Virtqueue(layout, false, false);
    driver.submitIndirect(DATA + 0x1000, out(DATA, 4));
    assertEquals(new PopResult.InvalidChain(0, ChainError.INDIRECT_NOT_NEGOTIATED, -1), queue.pop(ram));
  }

  @Test
  void nestedIndirectFailsTheChain() {
    long table = DATA + 0x1000;
    driver.writeDescriptorAt(table, DATA + 0x2000, 16, DriverQueue.INDIRECT, 0);
    driver.writeDescriptor(0, table, 16, DriverQueue.INDIRECT, 0);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.NESTED_INDIRECT, -1), queue.pop(ram));
  }

  @Test
  void indirectWithNextFailsTheChain() {
    driver.writeDescriptor(0, DATA + 0x1000, 16, DriverQueue.INDIRECT | DriverQueue.NEXT, 1);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.INDIRECT_WITH_NEXT, -1), queue.pop(ram));
  }

  @Test
  void badIndirectTablesFailTheChain() {
    long[][] tables = {{DATA, 0}, {DATA, 24}, {BASE + SIZE - 16, 32}, {0x10, 16}};
    for (long[] table : tables) {
      driver.writeDescriptor(0, table[0], table[1], DriverQueue.INDIRECT, 0);
      driver.publish(0);
      assertEquals(
          new PopResult.InvalidChain(0, ChainError.BAD_INDIRECT_TABLE, -1), queue.pop(ram), table[0] + "+" + table[1]);
    }
  }

  @Test
  void indirectNextOutOfTableFailsTheChain() {
    long table = DATA + 0x1000;
    driver.writeDescriptorAt(table, DATA, 16, DriverQueue.NEXT, 1); // table holds one entry
    driver.writeDescriptor(0, table, 16, DriverQueue.INDIRECT, 0);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.NEXT_OUT_OF_RANGE, -1), queue.pop(ram));
  }

  @Test
  void loopInsideIndirectTableIsDetected() {
    long table = DATA + 0x1000;
    driver.writeDescriptorAt(table, DATA, 16, DriverQueue.NEXT, 1);
    driver.writeDescriptorAt(table + 16, DATA, 16, DriverQueue.NEXT, 0);
    driver.writeDescriptor(0, table, 32, DriverQueue.INDIRECT, 0);
    driver.publish(0);
    assertEquals(new PopResult.InvalidChain(0, ChainError.CHAIN_TOO_LONG, -1), queue.pop(ram));
  }

  @Test
  void notificationHonoursNoInterruptWithoutEventIdx() {
    driver.submit(out(DATA, 4));
    queue.addUsed(ram, ((DescriptorChain) queue.pop(ram)).head(), 0);
    assertTrue(queue.needsNotification(ram));
    assertFalse(queue.needsNotification(ram), "nothing new was used");
    driver.setAvailFlags(Virtqueue.VIRTQ_AVAIL_F_NO_INTERRUPT);
    driver.submit(out(DATA, 4));
    queue.addUsed(ram, ((DescriptorChain) queue.pop(ram)).head(), 0);
    assertFalse(queue.needsNotification(ram));
  }

  @Test
  void notificationFollowsUsedEventWithEventIdx() {
    queue = new Virtqueue(layout, false, true);
    driver.setAvailFlags(Virtqueue.VIRTQ_AVAIL_F_NO_INTERRUPT); // ignored with EVENT_IDX (2.7.7)
    driver.setUsedEvent(1); // notify when the used idx passes 1, i.e. after the second buffer
    for (int i = 0; i < 3; i++) {
      driver.submit(out(DATA, 4));
    }
    queue.addUsed(ram, ((DescriptorChain) queue.pop(ram)).head(), 0);
    assertFalse(queue.needsNotification(ram));
    queue.addUsed(ram, ((DescriptorChain) queue.pop(ram)).head(), 0);
    assertTrue(queue.needsNotification(ram));
    queue.addUsed(ram, ((DescriptorChain) queue.pop(ram)).head(), 0);
    assertFalse(queue.needsNotification(ram));
  }

  @Test
  void eventIdxPublishesAvailEventWhenTheRingIsEmpty() {
    queue = new Virtqueue(layout, false, true);
    driver.submit(out(DATA, 4));
    driver.submit(out(DATA, 4));
    queue.pop(ram);
    queue.pop(ram);
    assertInstanceOf(PopResult.Empty.class, queue.pop(ram));
    assertEquals(2, driver.availEvent(), "the driver is asked to notify for entry 2");
  }

  @Test
  void disabledQueueOffersNothing() {
    Virtqueue disabled = Virtqueue.disabled();
    assertFalse(disabled.isEnabled());
    assertInstanceOf(PopResult.Empty.class, disabled.pop(ram));
    assertFalse(disabled.needsNotification(ram));
  }
}
