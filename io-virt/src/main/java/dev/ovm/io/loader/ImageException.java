package dev.ovm.io.loader;

/**
 * An image (ELF file or raw binary) that cannot be loaded: unreadable, malformed, of the wrong
 * kind, or not fitting in guest RAM. The message is one line, {@code "<image>: <problem>"}, fit to
 * show the user as it is, e.g. {@code "kernel.elf: ELF machine is x86-64 (62), expected RISC-V
 * (243)"}. Nothing has been written to guest memory when a loader throws it.
 */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for image {@code image} (a file name) and the problem found. */
  public ImageException(String image, String problem) {
    super(image + ": " + problem);
  }

  /** Creates the exception with a cause, e.g. the I/O error that kept the file from being read. */
  public ImageException(String image, String problem, Throwable cause) {
    super(image + ": " + problem, cause);
  }
}
