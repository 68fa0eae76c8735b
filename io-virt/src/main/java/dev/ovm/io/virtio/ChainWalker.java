package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Follows one descriptor chain through the descriptor table and at most one indirect table, and
 * checks every guest-supplied index, length and address on the way (virtio 1.2 2.7.5).
 *
 * <p>Bounds: a chain may hold at most {@code queueSize} buffer descriptors (2.7.5.3.1), which
 * also ends any loop; the descriptor that points to an indirect table is not counted (it carries
 * no buffer). Every {@code next} index is checked against the size of the table it indexes, an
 * indirect table must be non-empty, a multiple of 16 bytes and inside RAM before it is read, and
 * every buffer must be non-empty and inside RAM before the device may touch it.
 *
 * <p>Not thread-safe: owned by one {@link Virtqueue}.
 */
final class ChainWalker {
  static final int VIRTQ_DESC_F_NEXT = 1;
  static final int VIRTQ_DESC_F_WRITE = 2;
  static final int VIRTQ_DESC_F_INDIRECT = 4;

  /** The largest total length a chain may have: used lengths are 32-bit (2.7.8). */
  static final long MAX_CHAIN_BYTES = 0xFFFF_FFFFL;

  private final QueueLayout layout;
  private final boolean indirectAllowed;
  private final GuestFields fields;

  ChainWalker(QueueLayout layout, boolean indirectAllowed, GuestFields fields) {
    this.layout = layout;
    this.indirectAllowed = indirectAllowed;
    this.fields = fields;
  }

  /** Walks the chain starting at {@code head}, which the caller has checked is below the size. */
  PopResult walk(GuestMemory memory, int head) {
    List<Segment> segments = new ArrayList<>();
    long table = layout.descriptorTable();
    long tableSize = layout.size();
    long index = head;
    boolean indirect = false;
    while (true) {
      long descriptor = table + QueueLayout.DESCRIPTOR_SIZE * index;
      long address = fields.readU64(memory, descriptor);
      long length = fields.readU32(memory, descriptor + 8) & 0xFFFF_FFFFL;
      int flags = fields.readU16(memory, descriptor + 12);
      int next = fields.readU16(memory, descriptor + 14);
      if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
        @Nullable ChainError error = checkIndirect(memory, indirect, flags, address, length);
        if (error != null) {
          return new PopResult.InvalidChain(head, error, -1);
        }
        // 2.7.5.3: the table starts at index 0; its own WRITE flag is ignored.
        table = address;
        tableSize = length / QueueLayout.DESCRIPTOR_SIZE;
        index = 0;
        indirect = true;
        continue;
      }
      if (segments.size() >= layout.size()) {
        return new PopResult.InvalidChain(head, ChainError.CHAIN_TOO_LONG, -1);
      }
      segments.add(new Segment(address, length, (flags & VIRTQ_DESC_F_WRITE) != 0));
      if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
        return validate(memory, head, segments);
      }
      if (next >= tableSize) {
        return new PopResult.InvalidChain(head, ChainError.NEXT_OUT_OF_RANGE, -1);
      }
      index = next;
    }
  }

  private @Nullable ChainError checkIndirect(
      GuestMemory memory, boolean inIndirect, int flags, long address, long length) {
    if (!indirectAllowed) {
      return ChainError.INDIRECT_NOT_NEGOTIATED;
    }
    if (inIndirect) {
      return ChainError.NESTED_INDIRECT;
    }
    if ((flags & VIRTQ_DESC_F_NEXT) != 0) {
      return ChainError.INDIRECT_WITH_NEXT;
    }
    if (length == 0
        || length % QueueLayout.DESCRIPTOR_SIZE != 0
        || !memory.contains(address, length)) {
      return ChainError.BAD_INDIRECT_TABLE;
    }
    return null;
  }

  /** Checks the buffers of a structurally sound chain: lengths, RAM, order, total. */
  private static PopResult validate(GuestMemory memory, int head, List<Segment> segments) {
    @Nullable ChainError error = null;
    boolean seenWritable = false;
    long total = 0;
    for (Segment s : segments) {
      if (error == null && s.length() == 0) {
        error = ChainError.ZERO_LENGTH;
      } else if (error == null && !memory.contains(s.address(), s.length())) {
        error = ChainError.BUFFER_OUTSIDE_RAM;
      } else if (error == null && seenWritable && !s.writable()) {
        error = ChainError.WRITABLE_BEFORE_READABLE;
      }
      seenWritable |= s.writable();
      total += s.length();
    }
    if (error == null && total > MAX_CHAIN_BYTES) {
      error = ChainError.TOO_LARGE;
    }
    if (error != null) {
      return new PopResult.InvalidChain(head, error, statusAddress(memory, segments));
    }
    return new DescriptorChain(head, segments);
  }

  /** The last byte of the last buffer if it is writable, non-empty and in RAM; else -1. */
  private static long statusAddress(GuestMemory memory, List<Segment> segments) {
    Segment last = segments.getLast();
    if (!last.writable() || last.length() == 0) {
      return -1;
    }
    long address = last.address() + last.length() - 1;
    return memory.contains(address, 1) ? address : -1;
  }
}
