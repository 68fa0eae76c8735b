package dev.ovm.cpu;

/**
 * Round-to-nearest-even FADD/FSUB/FMUL/FDIV/FSQRT on the host's own float and double arithmetic
 * (Java's operators and {@link Math#sqrt} are correctly rounded to nearest-even), used when the
 * effective rounding mode is RNE. Whenever a flag other than NX could be involved (NaN, infinite
 * or zero operands, results that overflow or lie at or below the smallest normal magnitude) it
 * defers to the exact {@link FloatArithmetic}, so results and flags are identical to it
 * ({@code FloatFastPathPropertyTest} checks this). Nothing here allocates.
 *
 * <p>Exactness (NX) without the exact result:
 *
 * <ul>
 *   <li>sum: the rounding error of a sum is itself representable (Knuth's TwoSum), so the sum is
 *       exact iff the error computed by TwoSum is zero; an inexact sum is never subnormal. Both
 *       operands stay below 2^(emax-1) so that no intermediate of TwoSum overflows.
 *   <li>product: exact iff the product of the two integer significands has at most p significant
 *       bits between its highest and lowest set bit.
 *   <li>quotient: with odd parts oa, ob of the significands (powers of two are free), exact iff ob
 *       divides oa.
 *   <li>square root: r is exact iff r² = a, i.e. the odd part of r's significand squared equals
 *       the odd part of a's significand (the exponents then agree because r is within an ulp).
 * </ul>
 */
final class FloatFastPath {
  private FloatFastPath() {}

  /** {@code a + b} under RNE. */
  static long add(FloatFormat f, long a, long b, FloatFlags flags) {
    if (!ordinary(f, a) || !ordinary(f, b) || !moderate(f, a) || !moderate(f, b)) {
      return FloatArithmetic.add(f, a, b, Rounding.RNE, flags);
    }
    if (f == FloatFormat.DOUBLE) {
      double x = Double.longBitsToDouble(a);
      double y = Double.longBitsToDouble(b);
      double sum = x + y;
      if (Double.isInfinite(sum)) {
        return FloatArithmetic.add(f, a, b, Rounding.RNE, flags);
      }
      double yVirtual = sum - x;
      double error = (x - (sum - yVirtual)) + (y - yVirtual);
      raiseInexact(error != 0, flags);
      return Double.doubleToRawLongBits(sum);
    }
    float x = Float.intBitsToFloat((int) a);
    float y = Float.intBitsToFloat((int) b);
    float sum = x + y;
    if (Float.isInfinite(sum)) {
      return FloatArithmetic.add(f, a, b, Rounding.RNE, flags);
    }
    float yVirtual = sum - x;
    float error = (x - (sum - yVirtual)) + (y - yVirtual);
    raiseInexact(error != 0, flags);
    return Float.floatToRawIntBits(sum) & 0xFFFF_FFFFL;
  }

  /** {@code a × b} under RNE. */
  static long multiply(FloatFormat f, long a, long b, FloatFlags flags) {
    if (ordinary(f, a) && ordinary(f, b)) {
      long product = f == FloatFormat.DOUBLE
          ? Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b))
          : Float.floatToRawIntBits(Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b))
              & 0xFFFF_FFFFL;
      if (comfortablyNormal(f, product)) {
        long sa = f.significand(a);
        long sb = f.significand(b);
        long high = Math.multiplyHigh(sa, sb);
        long low = sa * sb;
        int width = high != 0
            ? 128 - Long.numberOfLeadingZeros(high) : 64 - Long.numberOfLeadingZeros(low);
        int trailing = low != 0
            ? Long.numberOfTrailingZeros(low) : 64 + Long.numberOfTrailingZeros(high);
        raiseInexact(width - trailing > f.precision, flags);
        return product;
      }
    }
    return FloatArithmetic.multiply(f, a, b, Rounding.RNE, flags);
  }

  /** {@code a / b} under RNE. */
  static long divide(FloatFormat f, long a, long b, FloatFlags flags) {
    if (ordinary(f, a) && ordinary(f, b)) {
      long quotient = f == FloatFormat.DOUBLE
          ? Double.doubleToRawLongBits(Double.longBitsToDouble(a) / Double.longBitsToDouble(b))
          : Float.floatToRawIntBits(Float.intBitsToFloat((int) a) / Float.intBitsToFloat((int) b))
              & 0xFFFF_FFFFL;
      if (comfortablyNormal(f, quotient)) {
        raiseInexact(oddPart(f.significand(a)) % oddPart(f.significand(b)) != 0, flags);
        return quotient;
      }
    }
    return FloatArithmetic.divide(f, a, b, Rounding.RNE, flags);
  }

  /** {@code sqrt(a)} under RNE. */
  static long squareRoot(FloatFormat f, long a, FloatFlags flags) {
    if (!ordinary(f, a) || f.isNegative(a)) {
      return FloatArithmetic.squareRoot(f, a, Rounding.RNE, flags);
    }
    // a double root of a float is correctly rounded to float again (53 >= 2 × 24 + 2)
    long root = f == FloatFormat.DOUBLE
        ? Double.doubleToRawLongBits(Math.sqrt(Double.longBitsToDouble(a)))
        : Float.floatToRawIntBits((float) Math.sqrt(Float.intBitsToFloat((int) a))) & 0xFFFF_FFFFL;
    long odd = oddPart(f.significand(root));
    // odd² must equal the odd part of a's significand (< 2^53), so odd must be below 2^27
    boolean exact = odd < 1L << 27 && odd * odd == oddPart(f.significand(a));
    raiseInexact(!exact, flags);
    return root;
  }

  /** Finite and nonzero: the operands the fast path handles itself. */
  private static boolean ordinary(FloatFormat f, long bits) {
    return !f.isZero(bits) && (bits & f.exponentMask) != f.exponentMask;
  }

  /** Magnitude below 2^(emax - 1): the biased exponent is at most 2 × bias - 2. */
  private static boolean moderate(FloatFormat f, long bits) {
    return (bits & ~f.signBit) < (long) (2 * f.bias - 1) << (f.precision - 1);
  }

  /**
   * Finite and strictly above the smallest normal magnitude: then the exact result was not tiny
   * (rounding is monotone), so UF cannot arise, and no overflow happened.
   */
  private static boolean comfortablyNormal(FloatFormat f, long bits) {
    long magnitude = bits & ~f.signBit;
    return magnitude > 1L << (f.precision - 1) && magnitude < f.exponentMask;
  }

  private static long oddPart(long significand) {
    return significand >> Long.numberOfTrailingZeros(significand);
  }

  private static void raiseInexact(boolean inexact, FloatFlags flags) {
    if (inexact) {
      flags.raise(FloatFlags.NX);
    }
  }
}
