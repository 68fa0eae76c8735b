package dev.ovm.cpu;

import java.math.BigInteger;

/**
 * FADD, FSUB, FMUL, FDIV, FSQRT and the fused multiply-adds of the F and D extensions (Unpriv spec
 * 20.6, 20.7, 21.4), correctly rounded in all five rounding modes with exact flags.
 *
 * <p>Operands and results are raw encodings of {@code format} (single precision in bits 31:0).
 * Every NaN result is the canonical NaN (Unpriv 20.3: RISC-V does not propagate NaN payloads);
 * a signalling NaN operand raises NV.
 *
 * <p>Implementation: each finite result is computed exactly with BigInteger significand
 * arithmetic and rounded once by {@link Rounding#round}. This allocates a few small BigIntegers
 * per instruction; the FP path is allowed to (the integer hot path never reaches this class).
 */
final class FloatArithmetic {
  private FloatArithmetic() {}

  /** {@code a + b}. FSUB is {@code add(a, b ^ signBit)}, which gives the same flags and NaNs. */
  static long add(FloatFormat f, long a, long b, int rm, FloatFlags flags) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return propagateNaN(f, a, b, flags);
    }
    boolean infiniteA = f.isInfinite(a);
    boolean infiniteB = f.isInfinite(b);
    if (infiniteA || infiniteB) {
      if (infiniteA && infiniteB && f.isNegative(a) != f.isNegative(b)) {
        flags.raise(FloatFlags.NV); // IEEE 754-2008 7.2(b): inf - inf
        return f.canonicalNaN;
      }
      return infiniteA ? a : b;
    }
    return exactSum(f, f.isNegative(a), f.magnitude(a), f.exponent(a),
        f.isNegative(b), f.magnitude(b), f.exponent(b), rm, flags);
  }

  /** {@code a × b}. */
  static long multiply(FloatFormat f, long a, long b, int rm, FloatFlags flags) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return propagateNaN(f, a, b, flags);
    }
    boolean negative = f.isNegative(a) != f.isNegative(b);
    if (f.isInfinite(a) || f.isInfinite(b)) {
      if (f.isZero(a) || f.isZero(b)) {
        flags.raise(FloatFlags.NV); // IEEE 754-2008 7.2(c): 0 × inf
        return f.canonicalNaN;
      }
      return f.infinity(negative);
    }
    return Rounding.round(f, negative, f.magnitude(a).multiply(f.magnitude(b)),
        f.exponent(a) + f.exponent(b), false, rm, flags);
  }

  /** {@code a / b}. */
  static long divide(FloatFormat f, long a, long b, int rm, FloatFlags flags) {
    if (f.isNaN(a) || f.isNaN(b)) {
      return propagateNaN(f, a, b, flags);
    }
    boolean negative = f.isNegative(a) != f.isNegative(b);
    boolean infiniteA = f.isInfinite(a);
    boolean infiniteB = f.isInfinite(b);
    if ((infiniteA && infiniteB) || (f.isZero(a) && f.isZero(b))) {
      flags.raise(FloatFlags.NV); // IEEE 754-2008 7.2(d)
      return f.canonicalNaN;
    }
    if (infiniteA) {
      return f.infinity(negative);
    }
    if (infiniteB || f.isZero(a)) {
      return f.zero(negative);
    }
    if (f.isZero(b)) {
      flags.raise(FloatFlags.DZ); // IEEE 754-2008 7.3
      return f.infinity(negative);
    }
    BigInteger dividend = f.magnitude(a);
    BigInteger divisor = f.magnitude(b);
    // scale so that the quotient has at least p + 2 bits; the remainder becomes the sticky bit
    int scale = Math.max(0, f.precision + 3 + divisor.bitLength() - dividend.bitLength());
    BigInteger scaled = dividend.shiftLeft(scale);
    BigInteger quotient = scaled.divide(divisor);
    boolean sticky = !quotient.multiply(divisor).equals(scaled);
    return Rounding.round(f, negative, quotient, f.exponent(a) - f.exponent(b) - scale, sticky, rm,
        flags);
  }

  /** {@code sqrt(a)}: -0 gives -0, any other negative operand NV (IEEE 754-2008 5.4.1, 7.2(g)). */
  static long squareRoot(FloatFormat f, long a, int rm, FloatFlags flags) {
    if (f.isNaN(a)) {
      return propagateNaN(f, a, a, flags);
    }
    if (f.isZero(a)) {
      return a;
    }
    if (f.isNegative(a)) {
      flags.raise(FloatFlags.NV);
      return f.canonicalNaN;
    }
    if (f.isInfinite(a)) {
      return a;
    }
    BigInteger magnitude = f.magnitude(a);
    int exponent = f.exponent(a);
    // scale to at least 2p + 4 bits (so the root has p + 2) and to an even exponent
    int scale = Math.max(0, 2 * f.precision + 4 - magnitude.bitLength());
    if (((exponent - scale) & 1) != 0) {
      scale++;
    }
    BigInteger scaled = magnitude.shiftLeft(scale);
    BigInteger root = scaled.sqrt();
    boolean sticky = !root.multiply(root).equals(scaled);
    return Rounding.round(f, false, root, (exponent - scale) / 2, sticky, rm, flags);
  }

  /**
   * The fused multiply-adds (Unpriv 20.6): {@code ±(a × b) ± c} with one rounding. FMADD is
   * (false, false), FMSUB (false, true), FNMSUB (true, false), FNMADD (true, true).
   */
  static long fusedMultiplyAdd(FloatFormat f, long a, long b, long c, boolean negateProduct,
      boolean negateAddend, int rm, FloatFlags flags) {
    boolean invalidProduct = (f.isInfinite(a) && f.isZero(b)) || (f.isZero(a) && f.isInfinite(b));
    if (f.isNaN(a) || f.isNaN(b) || f.isNaN(c)) {
      // Unpriv 20.6: inf × 0 raises NV even when the addend is a quiet NaN
      if (invalidProduct || f.isSignaling(a) || f.isSignaling(b) || f.isSignaling(c)) {
        flags.raise(FloatFlags.NV);
      }
      return f.canonicalNaN;
    }
    if (invalidProduct) {
      flags.raise(FloatFlags.NV);
      return f.canonicalNaN;
    }
    boolean productNegative = (f.isNegative(a) != f.isNegative(b)) != negateProduct;
    boolean addendNegative = f.isNegative(c) != negateAddend;
    boolean productInfinite = f.isInfinite(a) || f.isInfinite(b);
    if (productInfinite || f.isInfinite(c)) {
      if (productInfinite && f.isInfinite(c) && productNegative != addendNegative) {
        flags.raise(FloatFlags.NV); // inf - inf
        return f.canonicalNaN;
      }
      return f.infinity(productInfinite ? productNegative : addendNegative);
    }
    return exactSum(f, productNegative, f.magnitude(a).multiply(f.magnitude(b)),
        f.exponent(a) + f.exponent(b), addendNegative, f.magnitude(c), f.exponent(c), rm, flags);
  }

  /**
   * Rounds the exact sum of two signed finite values. An exact zero sum of operands with opposite
   * signs is +0, or -0 when rounding down; zeros of equal sign keep it (IEEE 754-2008 6.3).
   */
  private static long exactSum(FloatFormat f, boolean negativeA, BigInteger magnitudeA,
      int exponentA, boolean negativeB, BigInteger magnitudeB, int exponentB, int rm,
      FloatFlags flags) {
    int exponent = Math.min(exponentA, exponentB);
    BigInteger left = magnitudeA.shiftLeft(exponentA - exponent);
    BigInteger right = magnitudeB.shiftLeft(exponentB - exponent);
    BigInteger sum = (negativeA ? left.negate() : left).add(negativeB ? right.negate() : right);
    if (sum.signum() == 0) {
      boolean negative = negativeA == negativeB ? negativeA : rm == Rounding.RDN;
      return f.zero(negative);
    }
    return Rounding.round(f, sum.signum() < 0, sum.abs(), exponent, false, rm, flags);
  }

  /** A NaN operand gives the canonical NaN; NV if either operand is a signalling NaN. */
  static long propagateNaN(FloatFormat f, long a, long b, FloatFlags flags) {
    if (f.isSignaling(a) || f.isSignaling(b)) {
      flags.raise(FloatFlags.NV);
    }
    return f.canonicalNaN;
  }
}
