package dev.ovm.cpu.sbi;

/**
 * What an SBI function returns (SBI spec v2.0 ch. 3): an error code in {@code a0} and a value in
 * {@code a1}.
 *
 * @param error {@link Sbi#SUCCESS} or a negative SBI error code
 * @param value the function's result, meaningful on success
 */
public record SbiResult(long error, long value) {
  /** Success with value 0. */
  public static final SbiResult SUCCESS = new SbiResult(Sbi.SUCCESS, 0);

  /**
   * The call does not return to its caller (HSM stop, non-retentive suspend): the hart's registers
   * were set by the extension and must not be overwritten. Compared by identity.
   */
  public static final SbiResult NO_RETURN = new SbiResult(Sbi.SUCCESS, 0);

  /** Success with {@code value}. */
  public static SbiResult value(long value) {
    return new SbiResult(Sbi.SUCCESS, value);
  }

  /** Failure with {@code error} (a negative SBI error code). */
  public static SbiResult error(long error) {
    return new SbiResult(error, 0);
  }
}
