package dev.ovm.manager.cli;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A problem with what the user asked for or gave (a missing file, a malformed image, RAM too
 * small): the {@code ovm} command prints its message as one line and exits with status 2.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a one-line, self-explanatory message. */
  public UserError(String message) {
    super(message);
  }

  /**
   * Creates the error with a one-line message and the cause (kept for debugging, never printed);
   * without a message, the cause's description is used.
   */
  public UserError(@Nullable String message, Throwable cause) {
    super(message != null ? message : cause.toString(), cause);
  }
}
