package dev.ovm.io.virtio;

import dev.ovm.memory.GuestRam;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver side of one split virtqueue, for tests: writes descriptors and the available ring
 * into a {@link GuestRam} and reads the used ring back, as a virtio driver does (virtio 1.2 2.7.13,
 * 2.7.14). It does no validation of its own, so tests can also write malformed chains with {@link
 * #writeDescriptor} and {@link #publish}.
 */
final class DriverQueue {
  static final int NEXT = ChainWalker.VIRTQ_DESC_F_NEXT;
  static final int WRITE = ChainWalker.VIRTQ_DESC_F_WRITE;
  static final int INDIRECT = ChainWalker.VIRTQ_DESC_F_INDIRECT;

  /** One buffer of a chain the test submits. */
  record Buffer(long address, int length, boolean writable) {}

  /** One element of the used ring. */
  record Used(int id, int length) {}

  final GuestRam ram;
  final QueueLayout layout;
  private final Runnable notifier;
  private int nextDescriptor;
  private int availIdx;
  private int lastUsed;

  /**
   * A queue whose rings are at {@code layout}; {@code notifier} performs the available buffer
   * notification (a QueueNotify write, or nothing for a bare {@link Virtqueue}).
   */
  DriverQueue(GuestRam ram, QueueLayout layout, Runnable notifier) {
    this.ram = ram;
    this.layout = layout;
    this.notifier = notifier;
  }

  int size() {
    return layout.size();
  }

  /** Writes descriptor {@code index} of the main table. */
  void writeDescriptor(int index, long address, long length, int flags, int next) {
    writeDescriptorAt(layout.descriptorTable() + 16L * index, address, length, flags, next);
  }

  /** Writes a descriptor at an arbitrary guest address (an indirect table entry). */
  void writeDescriptorAt(long at, long address, long length, int flags, int next) {
    RamWords.store(ram, at, 8, address);
    RamWords.store(ram, at + 8, 4, (int) length);
    RamWords.store(ram, at + 12, 2, (short) flags);
    RamWords.store(ram, at + 14, 2, (short) next);
  }

  /** Puts {@code head} into the next available ring slot and advances the available idx. */
  void publish(int head) {
    long slot = layout.availableRing() + 4 + 2L * (availIdx & (layout.size() - 1));
    RamWords.store(ram, slot, 2, (short) head);
    availIdx = (availIdx + 1) & 0xFFFF;
    setAvailIdx(availIdx);
  }

  /** Overwrites the available idx field (and the driver's own copy). */
  void setAvailIdx(int idx) {
    availIdx = idx & 0xFFFF;
    RamWords.store(ram, layout.availableRing() + 2, 2, (short) idx);
  }

  /** Writes avail->flags (VIRTQ_AVAIL_F_NO_INTERRUPT is 1). */
  void setAvailFlags(int flags) {
    RamWords.store(ram, layout.availableRing(), 2, (short) flags);
  }

  /** Writes used_event (only meaningful with VIRTIO_F_EVENT_IDX). */
  void setUsedEvent(int value) {
    RamWords.store(ram, layout.availableRing() + 4 + 2L * layout.size(), 2, (short) value);
  }

  /** Reads avail_event, which the device writes with VIRTIO_F_EVENT_IDX. */
  int availEvent() {
    return (short) RamWords.load(ram, layout.usedRing() + 4 + 8L * layout.size(), 2) & 0xFFFF;
  }

  /** The used idx the device has published. */
  int usedIdx() {
    return (short) RamWords.load(ram, layout.usedRing() + 2, 2) & 0xFFFF;
  }

  /** Writes a chain of direct descriptors for {@code buffers} and makes it available. */
  int submit(Buffer... buffers) {
    int head = nextDescriptor;
    writeChain(buffers);
    publish(head);
    return head;
  }

  /** Writes the chain without publishing it; returns its head. */
  int writeChain(Buffer... buffers) {
    int head = nextDescriptor;
    for (int i = 0; i < buffers.length; i++) {
      int index = (head + i) % layout.size();
      boolean last = i == buffers.length - 1;
      Buffer b = buffers[i];
      writeDescriptor(
          index,
          b.address(),
          b.length(),
          (b.writable() ? WRITE : 0) | (last ? 0 : NEXT),
          (index + 1) % layout.size());
    }
    nextDescriptor = (head + buffers.length) % layout.size();
    return head;
  }

  /**
   * Writes {@code buffers} as an indirect table at {@code table} (16 bytes per buffer) and makes
   * available one descriptor pointing to it.
   */
  int submitIndirect(long table, Buffer... buffers) {
    for (int i = 0; i < buffers.length; i++) {
      Buffer b = buffers[i];
      boolean last = i == buffers.length - 1;
      writeDescriptorAt(
          table + 16L * i, b.address(), b.length(), (b.writable() ? WRITE : 0) | (last ? 0 : NEXT), i + 1);
    }
    int head = nextDescriptor;
    writeDescriptor(head, table, 16L * buffers.length, INDIRECT, 0);
    nextDescriptor = (head + 1) % layout.size();
    publish(head);
    return head;
  }

  /** Sends the available buffer notification. */
  void kick() {
    notifier.run();
  }

  /** Used elements published since the last call. */
  List<Used> takeUsed() {
    List<Used> result = new ArrayList<>();
    int idx = usedIdx();
    while (lastUsed != idx) {
      long element = layout.usedRing() + 4 + 8L * (lastUsed & (layout.size() - 1));
      result.add(
          new Used((int) RamWords.load(ram, element, 4), (int) RamWords.load(ram, element + 4, 4)));
      lastUsed = (lastUsed + 1) & 0xFFFF;
    }
    return result;
  }
}
