package dev.ovm.cpu;

import java.math.BigInteger;

/**
 * The two IEEE 754-2008 binary interchange formats of the F and D extensions (Unpriv spec 20.2,
 * 21.2): binary32 and binary64, as raw encodings in the low bits of a {@code long}.
 *
 * <p>A single-precision encoding is always the 32 bits in bits 31:0 with bits 63:32 zero (NaN
 * boxing is the caller's business, see {@link Fpu}). Finite values unpack to an exact
 * {@code magnitude × 2^exponent} with an integer magnitude, which is what {@link Rounding} works on.
 */
enum FloatFormat {
  /** binary32: p = 24, 8 exponent bits. */
  SINGLE(24, 8),
  /** binary64: p = 53, 11 exponent bits. */
  DOUBLE(53, 11);

  /** Significand precision p including the implicit bit. */
  final int precision;
  /** Exponent bias. */
  final int bias;
  /** The exponent of the smallest normal number, 1 - bias. */
  final int emin;
  /** The exponent of the largest finite number, = bias. */
  final int emax;
  /** The sign bit (bit 31 or 63). */
  final long signBit;
  /** The exponent field, in place. */
  final long exponentMask;
  /** The trailing significand field. */
  final long fractionMask;
  /** The most significant fraction bit: set in quiet NaNs, clear in signalling ones. */
  final long quietBit;
  /** The canonical NaN (Unpriv 20.3): 0x7fc00000 or 0x7ff8000000000000. */
  final long canonicalNaN;

  FloatFormat(int precision, int exponentBits) {
    this.precision = precision;
    this.bias = (1 << (exponentBits - 1)) - 1;
    this.emin = 1 - bias;
    this.emax = bias;
    this.signBit = 1L << (precision + exponentBits - 1);
    this.fractionMask = (1L << (precision - 1)) - 1;
    this.exponentMask = ((1L << exponentBits) - 1) << (precision - 1);
    this.quietBit = 1L << (precision - 2);
    this.canonicalNaN = exponentMask | quietBit;
  }

  boolean isNaN(long bits) {
    return (bits & exponentMask) == exponentMask && (bits & fractionMask) != 0;
  }

  /** A NaN whose quiet bit is clear (IEEE 754-2008 6.2.1, as RISC-V uses it). */
  boolean isSignaling(long bits) {
    return isNaN(bits) && (bits & quietBit) == 0;
  }

  boolean isInfinite(long bits) {
    return (bits & ~signBit) == exponentMask;
  }

  boolean isZero(long bits) {
    return (bits & ~signBit) == 0;
  }

  boolean isNegative(long bits) {
    return (bits & signBit) != 0;
  }

  /** True if the biased exponent field is zero: zeros and subnormals. */
  boolean isSubnormalOrZero(long bits) {
    return (bits & exponentMask) == 0;
  }

  long infinity(boolean negative) {
    return negative ? signBit | exponentMask : exponentMask;
  }

  long zero(boolean negative) {
    return negative ? signBit : 0;
  }

  /** The largest finite magnitude with the given sign. */
  long maxFinite(boolean negative) {
    return infinity(negative) - 1;
  }

  /** The integer significand of a finite value (implicit bit included for normals). */
  long significand(long bits) {
    long fraction = bits & fractionMask;
    return isSubnormalOrZero(bits) ? fraction : fraction | (1L << (precision - 1));
  }

  /** The exact magnitude of a finite value is {@code significand × 2^exponent(bits)}. */
  int exponent(long bits) {
    int biased = (int) ((bits & exponentMask) >> (precision - 1));
    return Math.max(biased, 1) - bias - (precision - 1);
  }

  /** {@link #significand} as a BigInteger. */
  BigInteger magnitude(long bits) {
    return BigInteger.valueOf(significand(bits));
  }
}
