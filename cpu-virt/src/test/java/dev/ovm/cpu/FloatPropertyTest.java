package dev.ovm.cpu;

import static dev.ovm.cpu.FloatTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the exact floating-point implementation: under RNE it agrees with Java's own
 * (correctly rounded, round-to-nearest-even) float and double arithmetic, with NX set exactly when
 * the result differs from the exact value (checked with BigDecimal); under the other modes it
 * agrees with an independent reference that brackets the exact BigDecimal value between adjacent
 * doubles (Math.nextUp/nextDown).
 */
class FloatPropertyTest {
  private static final int EXAMPLES = 3000;

  /** Any finite double, from random bits (an all-ones exponent is folded into the finite range). */
  private static final Gen<Double> FINITE_DOUBLES = longs().all().map(b ->
      Double.longBitsToDouble((b & D.exponentMask) == D.exponentMask ? b ^ (1L << 62) : b));
  private static final Gen<Float> FINITE_FLOATS = integers().all().map(b ->
      Float.intBitsToFloat((b & 0x7F80_0000) == 0x7F80_0000 ? b ^ (1 << 30) : b));

  /**
   * Doubles whose exponents stay in [-600, 400] (products and sums neither overflow nor leave the
   * subnormal range unexercised), plus subnormals: the inputs of the directed-mode property.
   */
  private static final Gen<Double> MODERATE_DOUBLES = longs().all().zip(
      integers().between(-601, 400), (b, e) -> {
        long fraction = b & D.fractionMask;
        long sign = b & D.signBit;
        long exponent = e == -601 ? 0 : e + 1023L; // -601 stands for a subnormal operand
        return Double.longBitsToDouble(sign | exponent << 52 | fraction);
      });

  private static BigDecimal exact(double value) {
    return new BigDecimal(value);
  }

  /** Asserts value agreement with Java and NX iff the exact result differs from it. */
  private static void assertAgrees(double java, BigDecimal exactResult, Result ours, String what) {
    if (Double.isNaN(java)) {
      assertEquals(D.canonicalNaN, ours.bits(), what);
      assertEquals(NV, ours.flags(), what + " flags");
      return;
    }
    assertEquals(Long.toHexString(bits(java)), Long.toHexString(ours.bits()), what);
    boolean inexact = Double.isInfinite(java) || exact(java).compareTo(exactResult) != 0;
    assertEquals(inexact, (ours.flags() & NX) != 0, what + " NX");
    assertEquals(Double.isInfinite(java), (ours.flags() & OF) != 0, what + " OF");
    assertEquals(0, ours.flags() & (NV | DZ), what + " NV/DZ");
  }

  private static void assertAgrees(float java, BigDecimal exactResult, Result ours, String what) {
    if (Float.isNaN(java)) {
      assertEquals(S.canonicalNaN, ours.bits(), what);
      return;
    }
    assertEquals(Long.toHexString(bits(java)), Long.toHexString(ours.bits()), what);
    boolean inexact = Float.isInfinite(java) || new BigDecimal(java).compareTo(exactResult) != 0;
    assertEquals(inexact, (ours.flags() & NX) != 0, what + " NX");
  }

  @Test
  void doubleArithmeticUnderRneMatchesJava() {
    qt().withExamples(EXAMPLES).forAll(FINITE_DOUBLES, FINITE_DOUBLES, FINITE_DOUBLES)
        .checkAssert((a, b, c) -> {
          String what = a + ", " + b + ", " + c;
          BigDecimal ea = exact(a);
          BigDecimal eb = exact(b);
          assertAgrees(a + b, ea.add(eb),
              run(fl -> FloatArithmetic.add(D, bits(a), bits(b), RNE, fl)), "add " + what);
          assertAgrees(a - b, ea.subtract(eb),
              run(fl -> FloatArithmetic.add(D, bits(a), bits(-b), RNE, fl)), "sub " + what);
          assertAgrees(a * b, ea.multiply(eb),
              run(fl -> FloatArithmetic.multiply(D, bits(a), bits(b), RNE, fl)), "mul " + what);
          assertAgrees(Math.fma(a, b, c), ea.multiply(eb).add(exact(c)), run(fl ->
              FloatArithmetic.fusedMultiplyAdd(D, bits(a), bits(b), bits(c), false, false, RNE, fl)),
              "fma " + what);
          if (b != 0) {
            double q = a / b;
            // the quotient is exact iff q × b == a exactly (q finite)
            // (an infinite quotient is an overflow: assertAgrees then ignores the exact value)
            BigDecimal exactQuotient = !Double.isFinite(q) ? BigDecimal.ZERO
                : exact(q).multiply(eb).compareTo(ea) == 0 ? exact(q)
                : exact(q).add(BigDecimal.ONE.movePointLeft(2000));
            assertAgrees(q, exactQuotient,
                run(fl -> FloatArithmetic.divide(D, bits(a), bits(b), RNE, fl)), "div " + what);
          }
          double root = Math.sqrt(Math.abs(a));
          BigDecimal exactRoot = exact(root).multiply(exact(root)).compareTo(ea.abs()) == 0
              ? exact(root) : exact(root).add(BigDecimal.ONE.movePointLeft(2000));
          assertAgrees(root, exactRoot,
              run(fl -> FloatArithmetic.squareRoot(D, bits(Math.abs(a)), RNE, fl)), "sqrt " + what);
        });
  }

  @Test
  void singleArithmeticUnderRneMatchesJava() {
    qt().withExamples(EXAMPLES).forAll(FINITE_FLOATS, FINITE_FLOATS, FINITE_FLOATS)
        .checkAssert((a, b, c) -> {
          String what = a + ", " + b + ", " + c;
          BigDecimal ea = new BigDecimal(a);
          BigDecimal eb = new BigDecimal(b);
          assertAgrees(a + b, ea.add(eb),
              run(fl -> FloatArithmetic.add(S, bits(a), bits(b), RNE, fl)), "add " + what);
          assertAgrees(a * b, ea.multiply(eb),
              run(fl -> FloatArithmetic.multiply(S, bits(a), bits(b), RNE, fl)), "mul " + what);
          assertAgrees(Math.fma(a, b, c), ea.multiply(eb).add(new BigDecimal(c)), run(fl ->
              FloatArithmetic.fusedMultiplyAdd(S, bits(a), bits(b), bits(c), false, false, RNE, fl)),
              "fma " + what);
          if (b != 0) {
            float q = a / b;
            BigDecimal exactQuotient =
                Float.isFinite(q) && new BigDecimal(q).multiply(eb).compareTo(ea) == 0
                    ? new BigDecimal(q) : BigDecimal.valueOf(Double.MAX_VALUE);
            assertAgrees(q, exactQuotient,
                run(fl -> FloatArithmetic.divide(S, bits(a), bits(b), RNE, fl)), "div " + what);
          }
          float root = (float) Math.sqrt(Math.abs(a)); // a double root rounds correctly to float
          BigDecimal r = new BigDecimal(root);
          BigDecimal exactRoot = r.multiply(r).compareTo(ea.abs()) == 0
              ? r : BigDecimal.valueOf(Double.MAX_VALUE);
          assertAgrees(root, exactRoot,
              run(fl -> FloatArithmetic.squareRoot(S, bits(Math.abs(a)), RNE, fl)), "sqrt " + what);
          // S -> D -> S round trip is exact
          long wide = run(fl -> FloatConvert.toFormat(S, D, bits(a), RNE, fl)).bits();
          assertEquals(bits((double) a), wide, "fcvt.d.s " + a);
        });
  }

  @Test
  void cancellingSumsUnderRneMatchJava() {
    qt().withExamples(EXAMPLES).forAll(FINITE_DOUBLES, integers().between(-5, 5))
        .checkAssert((a, delta) -> {
          double b = -Double.longBitsToDouble(bits(a) + delta);
          if (Double.isFinite(b)) {
            assertAgrees(a + b, exact(a).add(exact(b)),
                run(fl -> FloatArithmetic.add(D, bits(a), bits(b), RNE, fl)), a + " + " + b);
          }
        });
  }

  /** The double a directed mode must give for the exact value {@code e} (no overflow). */
  private static double reference(BigDecimal e, int rm) {
    double below = e.doubleValue();
    while (exact(below).compareTo(e) > 0) {
      below = Math.nextDown(below);
    }
    while (exact(Math.nextUp(below)).compareTo(e) <= 0) {
      below = Math.nextUp(below);
    }
    boolean isExact = exact(below).compareTo(e) == 0;
    double above = isExact ? below : Math.nextUp(below);
    int sign = e.signum();
    double result = switch (rm) {
      case RTZ -> sign >= 0 ? below : above;
      case RDN -> below;
      case RUP -> above;
      default -> { // RMM: nearest, ties away from zero
        int order = e.subtract(exact(below)).compareTo(exact(above).subtract(e));
        yield order < 0 || (order == 0 && sign < 0) ? below : above;
      }
    };
    // a zero result has the sign of the exact value
    return result == 0 && sign != 0 ? Math.copySign(0.0, sign) : result;
  }

  @Test
  void directedModesMatchABigDecimalReference() {
    qt().withExamples(EXAMPLES)
        .forAll(MODERATE_DOUBLES, MODERATE_DOUBLES, MODERATE_DOUBLES, integers().between(1, 4))
        .checkAssert((a, b, c, rm) -> {
          String what = a + ", " + b + ", " + c + " rm " + rm;
          BigDecimal sum = exact(a).add(exact(b));
          BigDecimal product = exact(a).multiply(exact(b));
          BigDecimal fused = product.add(exact(c));
          assertDirected(sum, rm, run(fl -> FloatArithmetic.add(D, bits(a), bits(b), rm, fl)),
              "add " + what);
          assertDirected(product, rm,
              run(fl -> FloatArithmetic.multiply(D, bits(a), bits(b), rm, fl)), "mul " + what);
          assertDirected(fused, rm, run(fl -> FloatArithmetic.fusedMultiplyAdd(
              D, bits(a), bits(b), bits(c), false, false, rm, fl)), "fma " + what);
        });
  }

  private static void assertDirected(BigDecimal e, int rm, Result ours, String what) {
    if (e.signum() == 0) {
      return; // exact zeros and their signs: FloatArithmeticTest
    }
    double expected = reference(e, rm);
    assertEquals(Long.toHexString(bits(expected)), Long.toHexString(ours.bits()), what);
    boolean inexact = exact(expected).compareTo(e) != 0;
    assertEquals(inexact, (ours.flags() & NX) != 0, what + " NX");
    boolean tinyExact = e.abs().compareTo(exact(Double.MIN_NORMAL)) < 0;
    if ((ours.flags() & UF) != 0) {
      assertTrue(inexact && Math.abs(expected) <= Double.MIN_NORMAL, what + " UF only when tiny");
    } else {
      assertTrue(!inexact || !tinyExact || Math.abs(expected) >= Double.MIN_NORMAL,
          what + " UF missing");
    }
  }
}
