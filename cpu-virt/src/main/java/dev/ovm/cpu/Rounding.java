package dev.ovm.cpu;

import java.math.BigInteger;

/**
 * Rounding of an exact real value to a {@link FloatFormat} under one of the five RISC-V rounding
 * modes (Unpriv spec 20.2, table 20.1), raising OF, UF and NX exactly as IEEE 754-2008 7.4–7.6
 * ask with the RISC-V choice of detecting tininess after rounding (Unpriv 20.2: "tininess is
 * detected after rounding").
 *
 * <p>Every arithmetic operation computes its result exactly (as an integer magnitude times a power
 * of two, plus a sticky bit for the bits a division or square root leaves out) and calls
 * {@link #round} once, which is what makes the fused multiply-add singly rounded.
 */
final class Rounding {
  /** Round to nearest, ties to even. */
  static final int RNE = 0;
  /** Round towards zero. */
  static final int RTZ = 1;
  /** Round down (towards -infinity). */
  static final int RDN = 2;
  /** Round up (towards +infinity). */
  static final int RUP = 3;
  /** Round to nearest, ties to max magnitude. */
  static final int RMM = 4;
  /** The rm field value that selects the dynamic rounding mode in frm. */
  static final int DYN = 7;

  private Rounding() {}

  /** True if {@code rm} is one of the five defined modes (5 and 6 are reserved, 7 is DYN). */
  static boolean isValid(int rm) {
    return rm >= RNE && rm <= RMM;
  }

  /**
   * Rounds {@code (-1)^negative × (magnitude + ε) × 2^exponent} to {@code format}, where ε is 0
   * if {@code sticky} is false and otherwise some value strictly between 0 and 1 (the caller's
   * discarded low bits were not all zero). The caller guarantees that a sticky magnitude has at
   * least {@code precision + 2} bits, so ε lies below the rounding position.
   *
   * @return the encoding of the rounded result (signed zero for a zero magnitude)
   */
  static long round(FloatFormat format, boolean negative, BigInteger magnitude, int exponent,
      boolean sticky, int rm, FloatFlags flags) {
    if (magnitude.signum() == 0) {
      return format.zero(negative);
    }
    int p = format.precision;
    int leading = exponent + magnitude.bitLength() - 1; // exponent of the leading bit
    // the lowest kept bit: p bits below the leading one, but never below the subnormal quantum
    int lowest = Math.max(leading - p + 1, format.emin - p + 1);
    int shift = lowest - exponent;
    long kept;
    boolean half;
    boolean rest;
    if (shift <= 0) {
      kept = magnitude.shiftLeft(-shift).longValue();
      half = false;
      rest = sticky;
    } else {
      kept = magnitude.shiftRight(shift).longValue();
      half = magnitude.testBit(shift - 1);
      rest = sticky || magnitude.getLowestSetBit() < shift - 1;
    }
    boolean inexact = half || rest;
    if (roundsAway(rm, negative, (kept & 1) != 0, half, rest)) {
      kept++;
      if (kept == 1L << p) { // carried into a new binade
        kept >>= 1;
        lowest++;
      }
    }
    if (kept >= 1L << (p - 1) && lowest + p - 1 > format.emax) {
      flags.raise(FloatFlags.OF | FloatFlags.NX);
      return overflowResult(format, negative, rm);
    }
    if (inexact) {
      flags.raise(FloatFlags.NX);
      if (tinyAfterRounding(format, negative, magnitude, exponent, sticky, leading, rm)) {
        flags.raise(FloatFlags.UF); // IEEE 754-2008 7.5: tiny and inexact
      }
    }
    // the biased exponent minus one, times the field position, plus the significand with its
    // implicit bit: this also encodes subnormals (field 0) and their carry into the normal range
    long biasedMinusOne = lowest + p - 2 + format.bias;
    return (negative ? format.signBit : 0) | ((biasedMinusOne << (p - 1)) + kept);
  }

  /**
   * Tininess after rounding (IEEE 754-2008 7.5): the result rounded to p bits as if the exponent
   * range were unbounded lies strictly between -2^emin and 2^emin.
   */
  private static boolean tinyAfterRounding(FloatFormat format, boolean negative,
      BigInteger magnitude, int exponent, boolean sticky, int leading, int rm) {
    if (leading >= format.emin) {
      return false;
    }
    if (leading < format.emin - 1) {
      return true; // even rounding up one binade stays below 2^emin
    }
    int p = format.precision;
    int shift = leading - p + 1 - exponent;
    long kept;
    boolean half;
    boolean rest;
    if (shift <= 0) {
      kept = magnitude.shiftLeft(-shift).longValue();
      half = false;
      rest = sticky;
    } else {
      kept = magnitude.shiftRight(shift).longValue();
      half = magnitude.testBit(shift - 1);
      rest = sticky || magnitude.getLowestSetBit() < shift - 1;
    }
    boolean carries = kept == (1L << p) - 1 && roundsAway(rm, negative, true, half, rest);
    return !carries;
  }

  /** The overflow result (IEEE 754-2008 7.4): infinity or the largest finite number. */
  private static long overflowResult(FloatFormat format, boolean negative, int rm) {
    boolean toInfinity = switch (rm) {
      case RTZ -> false;
      case RDN -> negative;
      case RUP -> !negative;
      default -> true; // RNE, RMM
    };
    return toInfinity ? format.infinity(negative) : format.maxFinite(negative);
  }

  /**
   * Whether to add one unit in the last place to the truncated magnitude.
   *
   * @param odd the last kept bit
   * @param half the first discarded bit
   * @param rest any later discarded bit (or the sticky bit)
   */
  static boolean roundsAway(int rm, boolean negative, boolean odd, boolean half, boolean rest) {
    return switch (rm) {
      case RNE -> half && (rest || odd);
      case RTZ -> false;
      case RDN -> negative && (half || rest);
      case RUP -> !negative && (half || rest);
      default -> half; // RMM
    };
  }
}
