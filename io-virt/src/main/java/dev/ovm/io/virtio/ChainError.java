package dev.ovm.io.virtio;

/**
 * Why a descriptor chain or an available ring was rejected. Each value names the rule of virtio
 * 1.2 the driver broke; none of them is ever thrown, they travel in {@link PopResult}.
 */
public enum ChainError {
  /** The available idx moved more than the queue size past the last entry seen (2.7.6). */
  AVAIL_INDEX_JUMP,
  /** The available ring names a head descriptor index not below the queue size (2.7.6). */
  HEAD_OUT_OF_RANGE,
  /** A {@code next} field is not below the size of its descriptor table (2.7.5). */
  NEXT_OUT_OF_RANGE,
  /** The chain is longer than the queue size: a loop, or a chain 2.7.5.3.1 forbids. */
  CHAIN_TOO_LONG,
  /** VIRTQ_DESC_F_INDIRECT used although VIRTIO_F_INDIRECT_DESC was not negotiated (2.7.5.3.1). */
  INDIRECT_NOT_NEGOTIATED,
  /** VIRTQ_DESC_F_INDIRECT inside an indirect table (2.7.5.3.1). */
  NESTED_INDIRECT,
  /** VIRTQ_DESC_F_INDIRECT and VIRTQ_DESC_F_NEXT both set (2.7.5.3.1). */
  INDIRECT_WITH_NEXT,
  /** An indirect table that is empty, not a multiple of 16 bytes long, or outside RAM. */
  BAD_INDIRECT_TABLE,
  /** A buffer of length zero. */
  ZERO_LENGTH,
  /** A buffer that does not lie wholly inside guest RAM. */
  BUFFER_OUTSIDE_RAM,
  /** A device-readable buffer after a device-writable one (2.7.4, driver requirements). */
  WRITABLE_BEFORE_READABLE,
  /** More than 2^32 - 1 bytes in total (2.7.5, driver requirements). */
  TOO_LARGE
}
