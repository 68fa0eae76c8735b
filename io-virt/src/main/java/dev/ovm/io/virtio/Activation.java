package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemory;
import java.util.List;

/**
 * What a device receives when the driver sets DRIVER_OK (virtio 1.2 3.1.1 step 8): the guest
 * memory its queues and buffers live in, one {@link Virtqueue} per queue the device declared
 * ({@link Virtqueue#disabled()} for those the driver did not enable), the negotiated features and
 * the transport's interrupt state.
 *
 * @param memory the guest RAM that descriptor addresses refer to
 * @param queues the queues, indexed by queue number
 * @param features the feature bits both sides agreed on
 * @param interrupts the transport's interrupt and DEVICE_NEEDS_RESET state
 */
public record Activation(
    GuestMemory memory, List<Virtqueue> queues, long features, InterruptState interrupts) {

  /** Copies the queue list so that the activation is immutable (the queues themselves are not). */
  public Activation {
    queues = List.copyOf(queues);
  }

  /** The queue with number {@code index}, or a disabled queue if there is none. */
  public Virtqueue queue(int index) {
    return index >= 0 && index < queues.size() ? queues.get(index) : Virtqueue.disabled();
  }

  /** True if feature bit {@code bit} was negotiated. */
  public boolean has(int bit) {
    return Virtio.has(features, bit);
  }

  /** Sends a used buffer notification for {@code queue} if the driver wants one (2.7.7). */
  public void notifyUsed(Virtqueue queue) {
    if (queue.needsNotification(memory)) {
      interrupts.raise(InterruptState.USED_BUFFER);
    }
  }

  /** Puts the device into DEVICE_NEEDS_RESET (2.1.2). */
  public void enterNeedsReset() {
    interrupts.enterNeedsReset();
  }
}
