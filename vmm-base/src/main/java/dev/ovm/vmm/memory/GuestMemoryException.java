package dev.ovm.vmm.memory;

/** An access to guest memory that falls outside the guest's RAM; nothing was read or written. */
public final class GuestMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the range {@code [gpa, gpa + length)}. */
  public GuestMemoryException(long gpa, long length) {
    super(String.format("guest-physical range 0x%x+0x%x is outside RAM", gpa, length));
  }
}
