package dev.ovm.io.loader;

import dev.ovm.vmm.memory.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of one image with little-endian, bounds-checked field access. Every read checks its
 * range first and reports a short read as an {@link ImageException} naming the image, so a
 * malformed file can never cause an {@link IndexOutOfBoundsException}. Offsets and lengths taken
 * from the image are 64-bit values held in {@code long}s; a negative one stands for a value of
 * 2^63 or more and is outside any file.
 */
final class ImageBytes {
  private final String name;
  private final byte[] bytes;
  private final ByteBuffer buffer;

  ImageBytes(String name, byte[] bytes) {
    this.name = name;
    this.bytes = bytes;
    this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Reads a whole file.
   *
   * @throws ImageException if it cannot be read or is larger than a Java array can hold
   */
  static ImageBytes read(Path file) throws ImageException {
    String name = file.toString();
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 8) {
        throw new ImageException(name, "file is larger than 2 GiB");
      }
      return new ImageBytes(name, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ImageException(name, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ImageException(name, "permission denied", e);
    } catch (FileSystemException e) {
      String reason = e.getReason();
      throw new ImageException(name, "cannot read: " + (reason != null ? reason : "I/O error"), e);
    } catch (IOException e) {
      String reason = e.getMessage();
      throw new ImageException(name, "cannot read: " + (reason != null ? reason : "I/O error"), e);
    }
  }

  String name() {
    return name;
  }

  long size() {
    return bytes.length;
  }

  /** True if {@code [offset, offset + length)} lies inside the image (false on overflow). */
  boolean contains(long offset, long length) {
    return offset >= 0 && length >= 0 && offset <= bytes.length && length <= bytes.length - offset;
  }

  /** A new exception for this image. */
  ImageException error(String problem) {
    return new ImageException(name, problem);
  }

  int u8(long offset) throws ImageException {
    check(offset, 1);
    return buffer.get((int) offset) & 0xff;
  }

  int u16(long offset) throws ImageException {
    check(offset, 2);
    return buffer.getShort((int) offset) & 0xffff;
  }

  long u32(long offset) throws ImageException {
    check(offset, 4);
    return buffer.getInt((int) offset) & 0xffff_ffffL;
  }

  long u64(long offset) throws ImageException {
    check(offset, 8);
    return buffer.getLong((int) offset);
  }

  /** The NUL-terminated string at {@code offset}, which must end before {@code end}. */
  String string(long offset, long end, String what) throws ImageException {
    if (!contains(offset, 0) || end > bytes.length || offset >= end) {
      throw error(String.format("%s at offset 0x%x lies outside its section", what, offset));
    }
    for (int i = (int) offset; i < end; i++) {
      if (buffer.get(i) == 0) {
        return StandardCharsets.UTF_8.decode(buffer.slice((int) offset, i - (int) offset))
            .toString();
      }
    }
    throw error(String.format("%s at offset 0x%x is not NUL-terminated", what, offset));
  }

  /** Copies {@code [offset, offset + length)} of the image to guest-physical {@code address}. */
  void copyTo(GuestMemory memory, long address, long offset, long length) throws ImageException {
    check(offset, length);
    memory.write(address, bytes, (int) offset, (int) length);
  }

  private void check(long offset, long length) throws ImageException {
    if (!contains(offset, length)) {
      throw error(String.format(
          "read of 0x%x bytes at offset 0x%x runs past the end of the file (size 0x%x)",
          length, offset, bytes.length));
    }
  }
}
