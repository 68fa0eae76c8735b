package dev.ovm.cpu;

/**
 * The accrued exception flags of fcsr (Unpriv spec 20.2, table 20.2) and an accumulator the
 * floating-point operations raise them into. One instance per hart, cleared before each
 * instruction by {@link Fpu} and merged into fflags afterwards.
 */
final class FloatFlags {
  /** Invalid operation. */
  static final int NV = 0x10;
  /** Divide by zero. */
  static final int DZ = 0x08;
  /** Overflow. */
  static final int OF = 0x04;
  /** Underflow. */
  static final int UF = 0x02;
  /** Inexact. */
  static final int NX = 0x01;

  /** The flags raised since the last {@link #clear}. */
  int raised;

  void raise(int flags) {
    raised |= flags;
  }

  void clear() {
    raised = 0;
  }
}
