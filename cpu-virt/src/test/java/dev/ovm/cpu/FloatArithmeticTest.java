package dev.ovm.cpu;

import static dev.ovm.cpu.FloatTesting.*;

import org.junit.jupiter.api.Test;

/**
 * Rounding and flags of FADD/FSUB/FMUL/FDIV/FSQRT/FMA at the IEEE 754 corner cases, one expected
 * result per rounding mode (expected values worked out by hand from the encodings).
 */
class FloatArithmeticTest {
  private static final int[] MODES = {RNE, RTZ, RDN, RUP, RMM};
  private static final float ULP_1 = 0x1p-23f; // ulp(1.0f)

  private static Result add(FloatFormat f, long a, long b, int rm) {
    return run(flags -> FloatArithmetic.add(f, a, b, rm, flags));
  }

  private static Result mul(FloatFormat f, long a, long b, int rm) {
    return run(flags -> FloatArithmetic.multiply(f, a, b, rm, flags));
  }

  private static Result div(FloatFormat f, long a, long b, int rm) {
    return run(flags -> FloatArithmetic.divide(f, a, b, rm, flags));
  }

  @Test
  void inexactSumRoundsPerMode() {
    // 1 + 0.75 ulp: nearest is up; towards zero/down is 1
    float[] expected = {1 + ULP_1, 1, 1, 1 + ULP_1, 1 + ULP_1};
    for (int rm : MODES) {
      assertResult(bits(expected[rm]), NX, add(S, bits(1f), bits(0.75f * ULP_1), rm), "rm " + rm);
    }
    // the negative sum: down means away from zero
    float[] negative = {-1 - ULP_1, -1, -1 - ULP_1, -1, -1 - ULP_1};
    for (int rm : MODES) {
      assertResult(bits(negative[rm]), NX, add(S, bits(-1f), bits(-0.75f * ULP_1), rm), "rm " + rm);
    }
  }

  @Test
  void tiesGoToEvenOrAwayFromZero() {
    // 1 + ulp/2 is a tie: RNE keeps the even 1, RMM goes away from zero
    float[] expected = {1, 1, 1, 1 + ULP_1, 1 + ULP_1};
    for (int rm : MODES) {
      assertResult(bits(expected[rm]), NX, add(S, bits(1f), bits(0.5f * ULP_1), rm), "rm " + rm);
    }
    // (1 + ulp) + ulp/2 is a tie with an odd last bit: RNE rounds up to the even neighbour
    assertResult(bits(1 + 2 * ULP_1), NX, add(S, bits(1 + ULP_1), bits(0.5f * ULP_1), RNE), "odd");
  }

  @Test
  void overflowGivesInfinityOrMaxFinitePerMode() {
    long max = bits(Float.MAX_VALUE);
    long inf = bits(Float.POSITIVE_INFINITY);
    long[] expected = {inf, max, max, inf, inf};
    for (int rm : MODES) {
      assertResult(expected[rm], OF | NX, mul(S, max, bits(2f), rm), "+ rm " + rm);
    }
    long negativeMax = bits(-Float.MAX_VALUE);
    long negativeInf = bits(Float.NEGATIVE_INFINITY);
    long[] negative = {negativeInf, negativeMax, negativeInf, negativeMax, negativeInf};
    for (int rm : MODES) {
      assertResult(negative[rm], OF | NX, mul(S, negativeMax, bits(2f), rm), "- rm " + rm);
    }
    // the same boundary in double precision
    assertResult(bits(Double.MAX_VALUE), OF | NX,
        add(D, bits(Double.MAX_VALUE), bits(Double.MAX_VALUE), RTZ), "double RTZ");
    assertResult(bits(Double.POSITIVE_INFINITY), OF | NX,
        add(D, bits(Double.MAX_VALUE), bits(Double.MAX_VALUE), RNE), "double RNE");
  }

  @Test
  void overflowThresholdIsAfterRounding() {
    long max = bits(Float.MAX_VALUE);
    // MAX + ulp(MAX)/2 is a tie and MAX's significand is odd: RNE overflows
    assertResult(bits(Float.POSITIVE_INFINITY), OF | NX, add(S, max, bits(0x1p103f), RNE), "tie");
    // MAX + ulp(MAX)/4 rounds back to MAX: inexact, no overflow
    assertResult(max, NX, add(S, max, bits(0x1p102f), RNE), "below");
    assertResult(bits(Float.POSITIVE_INFINITY), OF | NX, add(S, max, bits(0x1p102f), RUP), "RUP");
  }

  @Test
  void exactCancellationIsPositiveZeroExceptRoundingDown() {
    for (int rm : MODES) {
      long expected = rm == RDN ? bits(-0f) : bits(0f);
      assertResult(expected, 0, add(S, bits(1.5f), bits(-1.5f), rm), "x - x, rm " + rm);
      long expectedDouble = rm == RDN ? bits(-0.0) : bits(0.0);
      assertResult(expectedDouble, 0, add(D, bits(0.0), bits(-0.0), rm), "+0 + -0, rm " + rm);
      assertResult(bits(-0.0), 0, add(D, bits(-0.0), bits(-0.0), rm), "-0 + -0, rm " + rm);
    }
    // FSUB x, x is add(x, -x)
    assertResult(bits(-0f), 0, add(S, bits(3f), bits(3f) ^ S.signBit, RDN), "fsub under RDN");
  }

  @Test
  void tininessIsDetectedAfterRounding() {
    // a × b = 2^-126 × (1 - 2^-25): 18631 × 1801 = 2^25 - 1
    long a = bits(18631f * 0x1p-80f);
    long b = bits(1801f * 0x1p-71f);
    long minNormal = bits(Float.MIN_NORMAL);
    long maxSubnormal = minNormal - 1;
    // rounded to 24 bits with unbounded range it reaches 2^-126 under RNE, RUP and RMM: not tiny
    long[] expected = {minNormal, maxSubnormal, maxSubnormal, minNormal, minNormal};
    int[] flags = {NX, UF | NX, UF | NX, NX, NX};
    for (int rm : MODES) {
      assertResult(expected[rm], flags[rm], mul(S, a, b, rm), "rm " + rm);
    }
    // (1 - 2^-24) × 2^-126 is exact at 24 bits, so tiny; it rounds to 2^-126 but UF is raised
    assertResult(minNormal, UF | NX, mul(S, bits(1 - 0x1p-24f), minNormal, RNE), "tiny, rounds up");
    // the same in double precision
    assertResult(bits(Double.MIN_NORMAL), UF | NX,
        mul(D, bits(1 - 0x1p-53), bits(Double.MIN_NORMAL), RNE), "double");
  }

  @Test
  void subnormalOperandsAndResults() {
    long minSub = bits(Float.MIN_VALUE);
    // exact subnormal results raise nothing
    assertResult(bits(Float.MIN_NORMAL / 2), 0, mul(S, bits(Float.MIN_NORMAL), bits(0.5f), RNE),
        "exact subnormal");
    assertResult(bits(2 * Float.MIN_VALUE), 0, add(S, minSub, minSub, RNE), "subnormal sum");
    // MIN_VALUE / 2 is a tie between 0 and MIN_VALUE
    long[] expected = {0, 0, 0, minSub, minSub};
    for (int rm : MODES) {
      assertResult(expected[rm], UF | NX, mul(S, minSub, bits(0.5f), rm), "rm " + rm);
    }
    assertResult(bits(-0f), UF | NX, mul(S, minSub, bits(-0.25f), RNE), "negative underflow to -0");
    // subnormal × large normal is exact
    assertResult(bits(0x1p-23f), 0, mul(S, minSub, bits(0x1p126f), RNE), "2^-149 × 2^126");
    assertResult(bits(Double.MIN_VALUE * 3), 0,
        div(D, bits(Double.MIN_VALUE * 6), bits(2.0), RNE), "double subnormal quotient");
  }

  @Test
  void nanOperandsGiveCanonicalNaN() {
    assertResult(S.canonicalNaN, NV, add(S, S_SNAN, bits(1f), RNE), "sNaN + 1");
    assertResult(S.canonicalNaN, 0, add(S, S_QNAN, bits(1f), RNE), "qNaN payload dropped");
    assertResult(D.canonicalNaN, NV, mul(D, bits(2.0), D_SNAN, RNE), "2 × sNaN");
    assertResult(D.canonicalNaN, 0, div(D, D_QNAN, bits(2.0), RNE), "qNaN / 2");
    assertResult(S.canonicalNaN, NV,
        add(S, bits(Float.POSITIVE_INFINITY), bits(Float.NEGATIVE_INFINITY), RNE), "inf - inf");
    assertResult(S.canonicalNaN, NV, mul(S, bits(0f), bits(Float.NEGATIVE_INFINITY), RNE), "0 × inf");
    assertResult(D.canonicalNaN, NV, div(D, bits(0.0), bits(-0.0), RNE), "0 / 0");
    assertResult(D.canonicalNaN, NV,
        div(D, bits(Double.POSITIVE_INFINITY), bits(Double.POSITIVE_INFINITY), RNE), "inf / inf");
  }

  @Test
  void divisionByZeroRaisesDz() {
    assertResult(bits(Float.POSITIVE_INFINITY), DZ, div(S, bits(1f), bits(0f), RNE), "1 / +0");
    assertResult(bits(Float.NEGATIVE_INFINITY), DZ, div(S, bits(1f), bits(-0f), RTZ), "1 / -0");
    assertResult(bits(Double.NEGATIVE_INFINITY), DZ, div(D, bits(-5.0), bits(0.0), RNE), "-5 / +0");
    assertResult(bits(Double.POSITIVE_INFINITY), 0,
        div(D, bits(Double.POSITIVE_INFINITY), bits(0.0), RNE), "inf / 0 is exact");
    assertResult(bits(-0.0), 0, div(D, bits(1.0), bits(Double.NEGATIVE_INFINITY), RNE), "1 / -inf");
  }

  @Test
  void divisionRoundsPerMode() {
    float third = 1f / 3f; // RNE rounds 1/3 up (binary 1.0101...×2^-2: the dropped bits are 1010...)
    float below = Math.nextDown(third);
    float[] expected = {third, below, below, third, third};
    for (int rm : MODES) {
      assertResult(bits(expected[rm]), NX, div(S, bits(1f), bits(3f), rm), "rm " + rm);
    }
    assertResult(bits(0.75), 0, div(D, bits(3.0), bits(4.0), RUP), "exact quotient");
  }

  @Test
  void squareRoot() {
    for (int rm : MODES) {
      assertResult(S.canonicalNaN, NV,
          run(flags -> FloatArithmetic.squareRoot(S, bits(-1f), rm, flags)), "sqrt(-1)");
    }
    assertResult(D.canonicalNaN, NV, run(flags ->
        FloatArithmetic.squareRoot(D, bits(Double.NEGATIVE_INFINITY), RNE, flags)), "sqrt(-inf)");
    assertResult(bits(-0.0), 0,
        run(flags -> FloatArithmetic.squareRoot(D, bits(-0.0), RNE, flags)), "sqrt(-0)");
    assertResult(bits(3.0), 0,
        run(flags -> FloatArithmetic.squareRoot(D, bits(9.0), RNE, flags)), "sqrt(9)");
    double root2 = Math.sqrt(2); // RNE rounds sqrt(2) up (0x3ff6a09e667f3bcd > 1.41421356237309504)
    assertResult(bits(root2), NX,
        run(flags -> FloatArithmetic.squareRoot(D, bits(2.0), RNE, flags)), "sqrt(2)");
    assertResult(bits(root2), NX,
        run(flags -> FloatArithmetic.squareRoot(D, bits(2.0), RUP, flags)), "sqrt(2) RUP");
    assertResult(bits(Math.nextDown(root2)), NX,
        run(flags -> FloatArithmetic.squareRoot(D, bits(2.0), RTZ, flags)), "sqrt(2) RTZ");
    assertResult(bits(0x1p-74f), 0,
        run(flags -> FloatArithmetic.squareRoot(S, bits(2 * Float.MIN_VALUE), RNE, flags)),
        "sqrt(2^-148)");
  }

  private static Result fma(FloatFormat f, long a, long b, long c, boolean negateProduct,
      boolean negateAddend, int rm) {
    return run(flags ->
        FloatArithmetic.fusedMultiplyAdd(f, a, b, c, negateProduct, negateAddend, rm, flags));
  }

  @Test
  void fusedMultiplyAddRoundsOnce() {
    // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; rounding the product first would give 0
    long a = bits(1 + ULP_1);
    long b = bits(1 - ULP_1);
    assertResult(bits(-0x1p-46f), 0, fma(S, a, b, bits(-1f), false, false, RNE), "fmadd");
    assertResult(bits(-0x1p-46f), 0, fma(S, a, b, bits(1f), false, true, RNE), "fmsub");
    assertResult(bits(0x1p-46f), 0, fma(S, a, b, bits(1f), true, false, RNE), "fnmsub");
    assertResult(bits(0x1p-46f), 0, fma(S, a, b, bits(-1f), true, true, RNE), "fnmadd");
    // double: the same identity at 53 bits
    assertResult(bits(-0x1p-104), 0,
        fma(D, bits(1 + 0x1p-52), bits(1 - 0x1p-52), bits(-1.0), false, false, RNE), "double");
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 is a tie at 24 bits that rounds to even (down); the
    // exact addend 2^-60 breaks the tie upwards, which rounding the product first would lose
    long a12 = bits(1 + 0x1p-12f);
    assertResult(bits(1 + 0x1p-11f), NX, fma(S, a12, a12, bits(0f), false, false, RNE), "tie");
    assertResult(bits(1 + 0x1p-11f + ULP_1), NX,
        fma(S, a12, a12, bits(0x1p-60f), false, false, RNE), "tie broken by the addend");
  }

  @Test
  void fusedMultiplyAddSpecialCases() {
    long inf = bits(Float.POSITIVE_INFINITY);
    // Unpriv 20.6: inf × 0 + qNaN raises NV
    assertResult(S.canonicalNaN, NV, fma(S, inf, bits(0f), S_QNAN, false, false, RNE), "inf×0+qNaN");
    assertResult(S.canonicalNaN, 0, fma(S, bits(2f), bits(3f), S_QNAN, false, false, RNE), "qNaN");
    assertResult(S.canonicalNaN, NV, fma(S, S_SNAN, bits(3f), bits(1f), false, false, RNE), "sNaN");
    assertResult(S.canonicalNaN, NV, fma(S, inf, bits(1f), inf, false, true, RNE), "inf - inf");
    assertResult(bits(Float.NEGATIVE_INFINITY), 0,
        fma(S, inf, bits(1f), bits(5f), true, false, RNE), "-(inf) + 5");
    // signs of zero: +0 × -1 + -0 = -0; 1 × 1 - 1 = +0, or -0 under RDN
    assertResult(bits(-0f), 0, fma(S, bits(0f), bits(-1f), bits(-0f), false, false, RNE), "-0");
    assertResult(bits(0f), 0, fma(S, bits(1f), bits(1f), bits(1f), false, true, RNE), "+0");
    assertResult(bits(-0f), 0, fma(S, bits(1f), bits(1f), bits(1f), false, true, RDN), "RDN -0");
    // overflow and underflow inside the fused operation
    assertResult(bits(Float.MAX_VALUE), OF | NX, fma(S, bits(Float.MAX_VALUE), bits(2f),
        bits(1f), false, false, RTZ), "overflow RTZ");
    assertResult(bits(Float.MIN_VALUE), UF | NX, fma(S, bits(Float.MIN_VALUE), bits(0.5f),
        bits(0f), false, false, RUP), "underflow RUP");
  }
}
