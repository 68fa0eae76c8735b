package dev.ovm.io.virtio;

import java.io.IOException;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * Where a {@link VirtioBlock} keeps its sectors: a byte-addressed store of fixed size. The device
 * has already checked every position and length against {@link #size()}; a backend reports host
 * failures as {@link IOException}, which the device turns into VIRTIO_BLK_S_IOERR.
 *
 * <p>Implementations need not be thread-safe: the device calls them under its lock.
 */
public interface BlockBackend extends AutoCloseable {

  /** Size in bytes; constant for the backend's lifetime. */
  long size();

  /** True if the backend refuses writes. */
  boolean isReadOnly();

  /** Fills {@code dst[offset, offset + length)} from byte {@code position} of the store. */
  void read(long position, byte[] dst, int offset, int length) throws IOException;

  /** Stores {@code src[offset, offset + length)} at byte {@code position} of the store. */
  void write(long position, byte[] src, int offset, int length) throws IOException;

  /** Returns once every completed write is durable (survives a host crash). */
  void flush() throws IOException;

  @Override
  void close(@GuardSatisfied BlockBackend this) throws IOException;
}
