package dev.ovm.cpu;

import static dev.ovm.cpu.FloatTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link FloatFastPath} gives exactly the bits and flags of the exact {@link FloatArithmetic}
 * under RNE: for random encodings (NaNs, infinities, zeros and subnormals included) and for
 * values built to hit its edges (exact small integers and short significands, magnitudes around
 * the smallest normal and the largest finite number).
 */
class FloatFastPathPropertyTest {
  private static final int EXAMPLES = 20_000;

  /** A double: random bits, or a short significand (often exact) at an edge exponent. */
  private static final Gen<Long> DOUBLES = Generate.pick(java.util.List.of(0, 1, 2)).zip(
      longs().all(), integers().between(-1074, 1023), (kind, random, exponent) -> switch (kind) {
        case 0 -> random;
        case 1 -> edge(random, exponent);
        default -> bits(Math.scalb((double) (random % 4096), exponent % 64)); // short significand
      });

  private static final Gen<Long> SINGLES = Generate.pick(java.util.List.of(0, 1, 2)).zip(
      longs().all(), integers().between(-149, 127), (kind, random, exponent) -> switch (kind) {
        case 0 -> random & 0xFFFF_FFFFL;
        case 1 -> bits(Math.scalb((float) (random % 512), exponent)); // may be 0, subnormal, inf
        default -> bits(Math.scalb((float) (random % 64), exponent % 24));
      });

  /** A value with a random significand near the smallest normal or the largest finite double. */
  private static long edge(long random, int exponent) {
    long sign = random & D.signBit;
    long fraction = random & D.fractionMask;
    long biased = (exponent & 1) == 0 ? (random >>> 60) & 3 : 2045 + ((random >>> 60) & 1);
    return sign | biased << 52 | fraction;
  }

  private static void assertSame(Result exact, Result fast, String what) {
    assertEquals(Long.toHexString(exact.bits()), Long.toHexString(fast.bits()), what);
    assertEquals(flagNames(exact.flags()), flagNames(fast.flags()), what + " flags");
  }

  private static void check(FloatFormat f, long a, long b) {
    String what = Long.toHexString(a) + ", " + Long.toHexString(b);
    assertSame(run(fl -> FloatArithmetic.add(f, a, b, RNE, fl)),
        run(fl -> FloatFastPath.add(f, a, b, fl)), "add " + what);
    assertSame(run(fl -> FloatArithmetic.multiply(f, a, b, RNE, fl)),
        run(fl -> FloatFastPath.multiply(f, a, b, fl)), "mul " + what);
    assertSame(run(fl -> FloatArithmetic.divide(f, a, b, RNE, fl)),
        run(fl -> FloatFastPath.divide(f, a, b, fl)), "div " + what);
    assertSame(run(fl -> FloatArithmetic.squareRoot(f, a, RNE, fl)),
        run(fl -> FloatFastPath.squareRoot(f, a, fl)), "sqrt " + what);
    long square = run(fl -> FloatArithmetic.multiply(f, a, a, RNE, fl)).bits();
    assertSame(run(fl -> FloatArithmetic.squareRoot(f, square, RNE, fl)),
        run(fl -> FloatFastPath.squareRoot(f, square, fl)), "sqrt of a square " + what);
  }

  @Test
  void doubleFastPathEqualsExactPath() {
    qt().withExamples(EXAMPLES).forAll(DOUBLES, DOUBLES).checkAssert((a, b) -> check(D, a, b));
  }

  @Test
  void singleFastPathEqualsExactPath() {
    qt().withExamples(EXAMPLES).forAll(SINGLES, SINGLES).checkAssert((a, b) -> check(S, a, b));
  }

  @Test
  void knownEdges() {
    long[] doubles = {bits(Double.MIN_NORMAL), bits(Math.nextUp(Double.MIN_NORMAL)),
        bits(Double.MAX_VALUE), bits(0x1p1022), bits(Math.nextDown(0x1p1022)), bits(1 - 0x1p-53),
        bits(3.0), bits(1.5), bits(-0.0), bits(Double.MIN_VALUE), D_SNAN, D_QNAN,
        bits(Double.NEGATIVE_INFINITY), bits(9.0), bits(0x1p-1000)};
    for (long a : doubles) {
      for (long b : doubles) {
        check(D, a, b);
        check(D, a, b ^ D.signBit);
      }
    }
    long[] singles = {bits(Float.MIN_NORMAL), bits(Float.MAX_VALUE), bits(0x1p126f),
        bits(1 - 0x1p-24f), bits(3f), bits(0f), bits(Float.MIN_VALUE), S_SNAN, S_QNAN};
    for (long a : singles) {
      for (long b : singles) {
        check(S, a, b);
        check(S, a, b ^ S.signBit);
      }
    }
  }
}
