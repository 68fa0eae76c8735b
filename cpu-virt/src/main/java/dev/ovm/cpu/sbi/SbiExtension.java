package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;

/** One SBI extension: an extension id and the functions it serves (SBI spec v2.0 ch. 3). */
interface SbiExtension {
  /** The extension id ({@code a7}). */
  long id();

  /**
   * Runs function {@code function} (the low 32 bits of {@code a6}, SBI spec v2.0 ch. 3) for
   * {@code hart}, whose {@code a0..a5} hold the arguments; called on the hart's own thread.
   *
   * @return the result; {@link Sbi#ERR_NOT_SUPPORTED} for a function the extension lacks
   */
  SbiResult call(Hart hart, int function);
}
