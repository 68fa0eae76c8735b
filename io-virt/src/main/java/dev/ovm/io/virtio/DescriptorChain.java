package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;
import java.util.List;
import java.util.stream.Stream;

/**
 * A validated descriptor chain (virtio 1.2 2.7.5): its head index and its buffers, the
 * device-readable ones first and then the device-writable ones (2.7.4), each non-empty and inside
 * guest RAM, at most 2^32 - 1 bytes in all.
 *
 * <p>The readable buffers form one logical byte stream and the writable buffers another; {@link
 * #read} and {@link #write} address them by offset into that stream, so a device never depends on
 * how the driver split a request into descriptors (2.7.4, device requirements). Neither method
 * touches memory outside the chain's buffers of the matching direction.
 */
public final class DescriptorChain implements PopResult {
  private final int head;
  private final List<Segment> readable;
  private final List<Segment> writable;
  private final long readableLength;
  private final long writableLength;

  /**
   * Creates a chain from buffers already validated by the queue.
   *
   * @param head the head descriptor index
   * @param segments the buffers in chain order, readable ones first
   */
  DescriptorChain(int head, List<Segment> segments) {
    this.head = head;
    this.readable = segments.stream().filter(s -> !s.writable()).toList();
    this.writable = segments.stream().filter(Segment::writable).toList();
    this.readableLength = total(readable);
    this.writableLength = total(writable);
  }

  private static long total(List<Segment> segments) {
    long sum = 0;
    for (Segment s : segments) {
      sum += s.length();
    }
    return sum;
  }

  /** The head descriptor index, which goes into the used ring when the chain is completed. */
  public int head() {
    return head;
  }

  /** Total bytes of the device-readable buffers. */
  public long readableLength() {
    return readableLength;
  }

  /** Total bytes of the device-writable buffers. */
  public long writableLength() {
    return writableLength;
  }

  /** The buffers of the chain in order, readable ones first. */
  public List<Segment> segments() {
    return Stream.concat(readable.stream(), writable.stream()).toList();
  }

  /**
   * Copies {@code length} bytes of the readable stream starting at {@code offset} into {@code
   * dst[dstOffset...]}.
   *
   * @throws IllegalArgumentException if the range is not inside the readable stream
   */
  public void read(GuestMemory memory, long offset, byte[] dst, int dstOffset, int length) {
    checkRange(offset, length, readableLength);
    long skip = offset;
    int done = 0;
    for (Segment s : readable) {
      if (done == length) {
        break;
      }
      if (skip >= s.length()) {
        skip -= s.length();
        continue;
      }
      int n = (int) Math.min(s.length() - skip, length - done);
      memory.read(s.address() + skip, dst, dstOffset + done, n);
      done += n;
      skip = 0;
    }
  }

  /**
   * Copies {@code src[srcOffset...]} ({@code length} bytes) into the writable stream starting at
   * {@code offset}.
   *
   * @throws IllegalArgumentException if the range is not inside the writable stream
   */
  public void write(GuestMemory memory, long offset, byte[] src, int srcOffset, int length) {
    checkRange(offset, length, writableLength);
    long skip = offset;
    int done = 0;
    for (Segment s : writable) {
      if (done == length) {
        break;
      }
      if (skip >= s.length()) {
        skip -= s.length();
        continue;
      }
      int n = (int) Math.min(s.length() - skip, length - done);
      memory.write(s.address() + skip, src, srcOffset + done, n);
      done += n;
      skip = 0;
    }
  }

  private static void checkRange(long offset, int length, long streamLength) {
    if (offset < 0 || length < 0 || offset > streamLength || length > streamLength - offset) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " outside a stream of " + streamLength + " bytes");
    }
  }
}
