package dev.ovm.io.virtio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * A raw disk image file as a block backend ({@code -drive file=...,format=raw}), through a {@link
 * FileChannel} with positional reads and writes. Its size is the file's size when it was opened.
 * {@link #flush()} is {@link FileChannel#force(boolean) force(false)}: the file's data reaches
 * stable storage before it returns (the file never grows, so no metadata needs forcing).
 */
public final class FileBlockBackend implements BlockBackend {
  private final FileChannel channel;
  private final long size;
  private final boolean readOnly;

  private FileBlockBackend(FileChannel channel, long size, boolean readOnly) {
    this.channel = channel;
    this.size = size;
    this.readOnly = readOnly;
  }

  /**
   * Opens {@code image}, for reading only if {@code readOnly}.
   *
   * @throws IOException if the file cannot be opened
   */
  public static FileBlockBackend open(Path image, boolean readOnly) throws IOException {
    FileChannel channel =
        readOnly
            ? FileChannel.open(image, StandardOpenOption.READ)
            : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      return new FileBlockBackend(channel, channel.size(), readOnly);
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public void read(long position, byte[] dst, int offset, int length) throws IOException {
    if (position < 0) {
      throw new IOException("negative position " + position);
    }
    ByteBuffer buffer = ByteBuffer.wrap(dst, offset, length);
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        while (buffer.hasRemaining()) {
          buffer.put((byte) 0); // the file shrank under us: what is missing reads as zeros
        }
        return;
      }
      at += n;
    }
  }

  @Override
  public void write(long position, byte[] src, int offset, int length) throws IOException {
    if (readOnly) {
      throw new IOException("read-only image");
    }
    if (position < 0) {
      throw new IOException("negative position " + position);
    }
    ByteBuffer buffer = ByteBuffer.wrap(src, offset, length);
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  @Override
  public void flush() throws IOException {
    if (!readOnly) {
      channel.force(false);
    }
  }

  @Override
  public void close(@GuardSatisfied FileBlockBackend this) throws IOException {
    channel.close();
  }
}
