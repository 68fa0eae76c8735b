package dev.ovm.io.virtio;

import java.io.IOException;
import java.util.Arrays;

/**
 * A block backend in a byte array, for tests: counts flushes, remembers how many bytes were
 * written since the last flush, and can be told to fail every operation.
 */
final class MemoryBlockBackend implements BlockBackend {
  final byte[] bytes;
  private final boolean readOnly;
  int flushes;
  long unflushedBytes;
  boolean failing;

  MemoryBlockBackend(int size, boolean readOnly) {
    this.bytes = new byte[size];
    this.readOnly = readOnly;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    check(position, length);
    System.arraycopy(bytes, (int) position, dst, offset, length);
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    check(position, length);
    if (readOnly) {
      throw new AssertionError("the device wrote to a read-only backend");
    }
    System.arraycopy(src, offset, bytes, (int) position, length);
    unflushedBytes += length;
  }

  @Override
  public void flush() throws IOException {
    if (failing) {
      throw new IOException("injected failure");
    }
    flushes++;
    unflushedBytes = 0;
  }

  private void check(long position, int length) throws IOException {
    if (failing) {
      throw new IOException("injected failure");
    }
    if (position < 0 || position + length > bytes.length) {
      throw new AssertionError("device accessed " + position + "+" + length + " past the backend");
    }
  }

  @Override
  public void close() {
    Arrays.fill(bytes, (byte) 0);
  }
}
