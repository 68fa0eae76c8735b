package dev.ovm.cpu;

/**
 * The non-arithmetic F and D instructions that look at values: FMIN/FMAX (Unpriv spec 20.6, as of
 * version 2.2: IEEE 754-201x minimumNumber/maximumNumber), FEQ/FLT/FLE (20.8), FCLASS (20.9) and
 * the sign injections FSGNJ/FSGNJN/FSGNJX (20.6). None of them rounds.
 */
final class FloatCompare {
  private FloatCompare() {}

  /**
   * FMIN/FMAX: -0 is less than +0; if one operand is a NaN the result is the other operand; if
   * both are NaNs the canonical NaN; a signalling NaN operand raises NV.
   */
  static long minMax(FloatFormat f, long a, long b, boolean max, FloatFlags flags) {
    if (f.isSignaling(a) || f.isSignaling(b)) {
      flags.raise(FloatFlags.NV);
    }
    boolean nanA = f.isNaN(a);
    boolean nanB = f.isNaN(b);
    if (nanA && nanB) {
      return f.canonicalNaN;
    }
    if (nanA || nanB) {
      return nanA ? b : a;
    }
    boolean aFirst = orderKey(f, a, true) < orderKey(f, b, true);
    return aFirst != max ? a : b;
  }

  /** FEQ: a quiet comparison, NV only for a signalling NaN operand; NaN compares unequal. */
  static boolean equal(FloatFormat f, long a, long b, FloatFlags flags) {
    if (f.isNaN(a) || f.isNaN(b)) {
      if (f.isSignaling(a) || f.isSignaling(b)) {
        flags.raise(FloatFlags.NV);
      }
      return false;
    }
    return orderKey(f, a, false) == orderKey(f, b, false);
  }

  /** FLT ({@code orEqual} false) and FLE: signalling comparisons, NV for any NaN operand. */
  static boolean less(FloatFormat f, long a, long b, boolean orEqual, FloatFlags flags) {
    if (f.isNaN(a) || f.isNaN(b)) {
      flags.raise(FloatFlags.NV);
      return false;
    }
    long keyA = orderKey(f, a, false);
    long keyB = orderKey(f, b, false);
    return orEqual ? keyA <= keyB : keyA < keyB;
  }

  /**
   * A key whose signed order is the numeric order of non-NaN encodings; -0 sorts below +0 if
   * {@code signedZeros}, otherwise the two are equal.
   */
  private static long orderKey(FloatFormat f, long bits, boolean signedZeros) {
    long magnitude = bits & ~f.signBit;
    if (!f.isNegative(bits)) {
      return magnitude;
    }
    return signedZeros ? -magnitude - 1 : -magnitude;
  }

  /** FCLASS (Unpriv table 20.5): exactly one of bits 0..9 set. */
  static long classify(FloatFormat f, long bits) {
    boolean negative = f.isNegative(bits);
    int bit;
    if (f.isNaN(bits)) {
      bit = f.isSignaling(bits) ? 8 : 9;
    } else if (f.isInfinite(bits)) {
      bit = negative ? 0 : 7;
    } else if (f.isZero(bits)) {
      bit = negative ? 3 : 4;
    } else if (f.isSubnormalOrZero(bits)) {
      bit = negative ? 2 : 5;
    } else {
      bit = negative ? 1 : 6;
    }
    return 1L << bit;
  }

  /** FSGNJ (funct3 0), FSGNJN (1), FSGNJX (2): a's magnitude with a sign taken from b. */
  static long injectSign(FloatFormat f, long a, long b, int funct3) {
    long signB = switch (funct3) {
      case 0 -> b & f.signBit;
      case 1 -> ~b & f.signBit;
      default -> (a ^ b) & f.signBit;
    };
    return (a & ~f.signBit) | signB;
  }
}
