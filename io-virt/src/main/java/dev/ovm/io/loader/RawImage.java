package dev.ovm.io.loader;

/**
 * Where a raw image was loaded.
 *
 * @param start guest-physical address of its first byte
 * @param end guest-physical address one past its last byte
 */
public record RawImage(long start, long end) {}
