package dev.ovm.io.virtio;

/**
 * One buffer of a descriptor chain, already checked to lie wholly inside guest RAM.
 *
 * @param address guest-physical address of the first byte
 * @param length length in bytes, at least 1
 * @param writable true for a device-writable buffer (VIRTQ_DESC_F_WRITE), false for a
 *     device-readable one
 */
public record Segment(long address, long length, boolean writable) {}
