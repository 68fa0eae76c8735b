package dev.ovm.io.loader;

import dev.ovm.vmm.memory.GuestMemory;
import java.nio.file.Path;

/**
 * Loads a raw binary (a firmware or kernel {@code Image}, an initrd) byte for byte at a given
 * guest-physical address, as QEMU's load_image_targphys does.
 */
public final class RawLoader {
  private RawLoader() {}

  /**
   * Loads file {@code file} at {@code address}.
   *
   * @return the loaded range
   * @throws ImageException if the file cannot be read, is empty, or does not fit in RAM at that
   *     address; nothing is written then
   */
  public static RawImage load(Path file, long address, GuestMemory memory) throws ImageException {
    return load(ImageBytes.read(file), address, memory);
  }

  /**
   * Loads {@code image} (e.g. a resource), called {@code name} in messages, at {@code address}.
   *
   * @return the loaded range
   * @throws ImageException if the image is empty or does not fit in RAM at that address; nothing
   *     is written then
   */
  public static RawImage load(String name, byte[] image, long address, GuestMemory memory)
      throws ImageException {
    return load(new ImageBytes(name, image), address, memory);
  }

  private static RawImage load(ImageBytes image, long address, GuestMemory memory)
      throws ImageException {
    if (image.size() == 0) {
      throw image.error("image is empty");
    }
    GuestRange.checkFits(image, "image", address, image.size(), memory);
    image.copyTo(memory, address, 0, image.size());
    return new RawImage(address, address + image.size());
  }
}
