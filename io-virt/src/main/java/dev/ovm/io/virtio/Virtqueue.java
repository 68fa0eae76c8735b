package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;
import java.lang.invoke.VarHandle;

/**
 * The device side of a split virtqueue (virtio 1.2 2.7): takes descriptor chains from the
 * available ring, returns them through the used ring, and decides when the driver wants a used
 * buffer notification.
 *
 * <p>A queue does not own guest memory: every method that touches the rings takes the {@link
 * GuestMemory} to use, as the transport and devices hold it. Every value the guest supplies is
 * checked before it is used (see {@link ChainWalker}); a guest error comes back as a {@link
 * PopResult}, never as an exception, and after a {@link PopResult.RingFault} the queue stays
 * broken and returns {@link PopResult.Empty} until the device is reset.
 *
 * <p>Thread safety: none of its own. A queue belongs to one device and is used only under that
 * device's lock.
 */
public final class Virtqueue {
  /** VIRTQ_AVAIL_F_NO_INTERRUPT (2.7.6): the driver does not want used buffer notifications. */
  static final int VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

  private static final QueueLayout DISABLED = new QueueLayout(0, 0, 0, 0);

  private final QueueLayout layout;
  private final boolean eventIdx;
  private final GuestFields fields = new GuestFields();
  private final ChainWalker walker;
  /** Free-running index of the next available ring entry to take (last_avail_idx). */
  private int nextAvail;
  /** Free-running index of the next used ring entry to fill: the used idx field. */
  private int nextUsed;
  /** The used idx when the device last decided whether to notify. */
  private int lastSignalled;
  private boolean broken;

  /**
   * Creates the device side of a queue whose layout the transport has validated with {@link
   * QueueLayout#isValid}.
   *
   * @param layout where the rings are
   * @param indirectDescriptors VIRTIO_F_INDIRECT_DESC was negotiated
   * @param eventIdx VIRTIO_F_EVENT_IDX was negotiated
   */
  public Virtqueue(QueueLayout layout, boolean indirectDescriptors, boolean eventIdx) {
    this.layout = layout;
    this.eventIdx = eventIdx;
    this.walker = new ChainWalker(layout, indirectDescriptors, fields);
  }

  /** A queue the driver did not enable: it never has a chain to offer. */
  public static Virtqueue disabled() {
    return new Virtqueue(DISABLED, false, false);
  }

  /** True if the driver enabled this queue. */
  public boolean isEnabled() {
    return layout.size() > 0;
  }

  /** The queue's layout. */
  public QueueLayout layout() {
    return layout;
  }

  /**
   * Takes the next chain from the available ring. With VIRTIO_F_EVENT_IDX, when the ring is
   * empty, first publishes avail_event so that the driver notifies the device of its next buffer
   * (2.7.10), then looks once more to close the race with a driver adding one meanwhile.
   */
  public PopResult pop(GuestMemory memory) {
    if (!isEnabled() || broken) {
      return PopResult.Empty.INSTANCE;
    }
    int pending = pending(memory);
    if (pending == 0 && eventIdx) {
      fields.writeU16(memory, layout.usedRing() + 4 + 8L * layout.size(), nextAvail);
      VarHandle.fullFence();
      pending = pending(memory);
    }
    if (pending == 0) {
      return PopResult.Empty.INSTANCE;
    }
    if (pending > layout.size()) {
      broken = true;
      return new PopResult.RingFault(ChainError.AVAIL_INDEX_JUMP);
    }
    int slot = nextAvail & (layout.size() - 1);
    int head = fields.readU16(memory, layout.availableRing() + 4 + 2L * slot);
    nextAvail = (nextAvail + 1) & 0xFFFF;
    if (head >= layout.size()) {
      broken = true;
      return new PopResult.RingFault(ChainError.HEAD_OUT_OF_RANGE);
    }
    return walker.walk(memory, head);
  }

  /** Entries the driver has made available that the device has not taken yet (mod 2^16). */
  private int pending(GuestMemory memory) {
    int availIdx = fields.readU16(memory, layout.availableRing() + 2);
    VarHandle.acquireFence(); // read the ring entries only after the idx that covers them
    return (availIdx - nextAvail) & 0xFFFF;
  }

  /**
   * Returns a chain to the driver (2.7.8): writes the used element, then the used idx.
   *
   * @param head the chain's head index, as {@link DescriptorChain#head} or {@link
   *     PopResult.InvalidChain#head} gave it
   * @param bytesWritten bytes the device wrote, from the start of the writable buffers
   * @throws IllegalArgumentException if {@code head} is not below the queue size (a device bug)
   */
  public void addUsed(GuestMemory memory, int head, int bytesWritten) {
    if (head < 0 || head >= layout.size()) {
      throw new IllegalArgumentException("head " + head + " outside a queue of " + layout.size());
    }
    long element = layout.usedRing() + 4 + 8L * (nextUsed & (layout.size() - 1));
    fields.writeU32(memory, element, head);
    fields.writeU32(memory, element + 4, bytesWritten);
    VarHandle.releaseFence(); // 2.7.8: the element is written before the idx that publishes it
    nextUsed = (nextUsed + 1) & 0xFFFF;
    fields.writeU16(memory, layout.usedRing() + 2, nextUsed);
  }

  /**
   * Whether the used buffers added since the last call call for a used buffer notification
   * (2.7.7): with VIRTIO_F_EVENT_IDX, if the used idx passed used_event; without it, if anything
   * was used and the driver did not set VIRTQ_AVAIL_F_NO_INTERRUPT.
   */
  public boolean needsNotification(GuestMemory memory) {
    if (!isEnabled()) {
      return false;
    }
    VarHandle.fullFence(); // the used idx is visible before the driver's suppression is read
    int previous = lastSignalled;
    lastSignalled = nextUsed;
    if (eventIdx) {
      int usedEvent = fields.readU16(memory, layout.availableRing() + 4 + 2L * layout.size());
      // vring_need_event: notify if used_event lies in [previous, nextUsed) modulo 2^16
      return ((nextUsed - usedEvent - 1) & 0xFFFF) < ((nextUsed - previous) & 0xFFFF);
    }
    int flags = fields.readU16(memory, layout.availableRing());
    return nextUsed != previous && (flags & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
  }
}
