package dev.ovm.io.fdt;

/**
 * A flattened devicetree blob that does not follow the Devicetree Specification's format (chapter
 * 5). The message names the offending field or token and its offset in the blob.
 */
public final class FdtFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line description of the problem. */
  public FdtFormatException(String message) {
    super(message);
  }
}
