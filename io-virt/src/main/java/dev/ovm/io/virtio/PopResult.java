package dev.ovm.io.virtio;

/**
 * What {@link Virtqueue#pop} found in the available ring: nothing, a valid chain, a chain the
 * device must fail, or a ring the device cannot use any more. Guest errors are values of this
 * type, never exceptions.
 */
public sealed interface PopResult
    permits PopResult.Empty, DescriptorChain, PopResult.InvalidChain, PopResult.RingFault {

  /** The available ring holds no chain the device has not seen. */
  record Empty() implements PopResult {
    /** The one instance. */
    public static final Empty INSTANCE = new Empty();
  }

  /**
   * A chain whose head is valid but which breaks a rule of the specification. The device fails
   * the request, completing it with its error status if it has one and {@code statusAddress} is
   * known, and otherwise enters DEVICE_NEEDS_RESET.
   *
   * @param head the chain's head index, below the queue size, to return in the used ring
   * @param error the rule that was broken
   * @param statusAddress guest-physical address of the last byte of the chain's last buffer if
   *     that buffer is device-writable, non-empty and inside RAM (where a device puts a status
   *     byte), or -1
   */
  record InvalidChain(int head, ChainError error, long statusAddress) implements PopResult {}

  /**
   * The available ring itself is corrupt (its idx jumped or it names a head outside the table):
   * no request can be identified, so the device enters DEVICE_NEEDS_RESET (virtio 1.2 2.1.2).
   *
   * @param error the rule that was broken
   */
  record RingFault(ChainError error) implements PopResult {}
}
