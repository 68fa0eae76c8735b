package dev.ovm.manager.control;

/**
 * A command that cannot be carried out, with a one-line reason for the operator. Nothing was
 * changed by a command that ends with this error.
 *
 * <p>The error class follows QMP's: {@link #GENERIC} for most errors, {@link #COMMAND_NOT_FOUND}
 * for an unknown command or one not allowed yet.
 */
public final class ControlError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** QMP's class for most errors. */
  public static final String GENERIC = "GenericError";

  /** QMP's class for an unknown command. */
  public static final String COMMAND_NOT_FOUND = "CommandNotFound";

  private final String errorClass;

  /** A {@link #GENERIC} error. */
  public ControlError(String message) {
    this(GENERIC, message);
  }

  /** An error of QMP class {@code errorClass}. */
  public ControlError(String errorClass, String message) {
    super(message);
    this.errorClass = errorClass;
  }

  /** The QMP error class, e.g. {@code GenericError}. */
  public String errorClass() {
    return errorClass;
  }
}
