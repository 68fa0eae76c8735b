package dev.ovm.cpu;

import java.math.BigInteger;

/**
 * The conversions of the F and D extensions (Unpriv spec 20.7, 21.5): floating point to and from
 * 32/64-bit signed and unsigned integers, and between single and double precision.
 *
 * <p>Float-to-integer conversions round under the rounding mode; a result that is not
 * representable (including NaN and infinities) is clipped as in Unpriv table 20.4 and raises NV
 * only; an in-range inexact result raises NX. The 32-bit results (W and WU alike) are returned
 * sign-extended to 64 bits, as RV64 writes them to x registers.
 */
final class FloatConvert {
  /** Integer kinds, numbered as the rs2 field of FCVT selects them. */
  static final int W = 0;
  static final int WU = 1;
  static final int L = 2;
  static final int LU = 3;

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private FloatConvert() {}

  /** FCVT.{W,WU,L,LU}.{S,D}: {@code bits} of format {@code f} to integer kind {@code kind}. */
  static long toInteger(FloatFormat f, long bits, int kind, int rm, FloatFlags flags) {
    if (f.isNaN(bits)) {
      flags.raise(FloatFlags.NV);
      return maximum(kind); // table 20.4: NaN converts to the largest value
    }
    boolean negative = f.isNegative(bits);
    if (f.isInfinite(bits)) {
      flags.raise(FloatFlags.NV);
      return negative ? minimum(kind) : maximum(kind);
    }
    BigInteger magnitude = f.magnitude(bits);
    int exponent = f.exponent(bits);
    BigInteger integer;
    boolean inexact;
    if (exponent >= 0) {
      integer = magnitude.shiftLeft(exponent);
      inexact = false;
    } else {
      int shift = -exponent;
      integer = magnitude.shiftRight(shift);
      boolean half = magnitude.testBit(shift - 1);
      boolean rest = magnitude.signum() != 0 && magnitude.getLowestSetBit() < shift - 1;
      inexact = half || rest;
      if (Rounding.roundsAway(rm, negative, integer.testBit(0), half, rest)) {
        integer = integer.add(BigInteger.ONE);
      }
    }
    BigInteger value = negative ? integer.negate() : integer;
    if (value.compareTo(BigInteger.valueOf(minimumValue(kind))) < 0) {
      flags.raise(FloatFlags.NV);
      return minimum(kind);
    }
    if (value.compareTo(maximumValue(kind)) > 0) {
      flags.raise(FloatFlags.NV);
      return maximum(kind);
    }
    if (inexact) {
      flags.raise(FloatFlags.NX);
    }
    long result = value.longValue(); // two's complement low 64 bits, also for LU above 2^63
    return kind == W || kind == WU ? (long) (int) result : result;
  }

  /** FCVT.{S,D}.{W,WU,L,LU}: integer register value {@code x} read as kind {@code kind}. */
  static long fromInteger(FloatFormat f, long x, int kind, int rm, FloatFlags flags) {
    BigInteger value = switch (kind) {
      case W -> BigInteger.valueOf((int) x);
      case WU -> BigInteger.valueOf(x & 0xFFFF_FFFFL);
      case L -> BigInteger.valueOf(x);
      default -> x < 0 ? BigInteger.valueOf(x).add(TWO_TO_64) : BigInteger.valueOf(x);
    };
    return Rounding.round(f, value.signum() < 0, value.abs(), 0, false, rm, flags);
  }

  /** FCVT.D.S and FCVT.S.D: NaNs become the canonical NaN (NV if signalling). */
  static long toFormat(FloatFormat from, FloatFormat to, long bits, int rm, FloatFlags flags) {
    if (from.isNaN(bits)) {
      if (from.isSignaling(bits)) {
        flags.raise(FloatFlags.NV);
      }
      return to.canonicalNaN;
    }
    boolean negative = from.isNegative(bits);
    if (from.isInfinite(bits)) {
      return to.infinity(negative);
    }
    return Rounding.round(to, negative, from.magnitude(bits), from.exponent(bits), false, rm,
        flags);
  }

  /** The largest value of an integer kind, as an unbounded integer. */
  private static BigInteger maximumValue(int kind) {
    return switch (kind) {
      case W -> BigInteger.valueOf(Integer.MAX_VALUE);
      case WU -> BigInteger.valueOf(0xFFFF_FFFFL);
      case L -> BigInteger.valueOf(Long.MAX_VALUE);
      default -> TWO_TO_64.subtract(BigInteger.ONE);
    };
  }

  private static long minimumValue(int kind) {
    return switch (kind) {
      case W -> Integer.MIN_VALUE;
      case L -> Long.MIN_VALUE;
      default -> 0;
    };
  }

  /** The clipped result for too-large values and NaN, as written to the register. */
  private static long maximum(int kind) {
    return switch (kind) {
      case W -> Integer.MAX_VALUE;
      case WU -> -1L; // 2^32 - 1, sign-extended
      case L -> Long.MAX_VALUE;
      default -> -1L; // 2^64 - 1
    };
  }

  /** The clipped result for too-small values, as written to the register. */
  private static long minimum(int kind) {
    return minimumValue(kind);
  }
}
