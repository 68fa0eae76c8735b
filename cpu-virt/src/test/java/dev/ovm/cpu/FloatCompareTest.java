package dev.ovm.cpu;

import static dev.ovm.cpu.FloatTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FMIN/FMAX (2.2 semantics), FEQ/FLT/FLE, FCLASS and the sign injections. */
class FloatCompareTest {
  private static Result min(FloatFormat f, long a, long b) {
    return run(flags -> FloatCompare.minMax(f, a, b, false, flags));
  }

  private static Result max(FloatFormat f, long a, long b) {
    return run(flags -> FloatCompare.minMax(f, a, b, true, flags));
  }

  @Test
  void minMaxOrderSignedZerosAndSkipNaNs() {
    assertResult(bits(-0f), 0, min(S, bits(0f), bits(-0f)), "min(+0, -0)");
    assertResult(bits(-0f), 0, min(S, bits(-0f), bits(0f)), "min(-0, +0)");
    assertResult(bits(0f), 0, max(S, bits(-0f), bits(0f)), "max(-0, +0)");
    assertResult(bits(0.0), 0, max(D, bits(0.0), bits(-0.0)), "max(+0, -0)");
    assertResult(bits(-2.0), 0, min(D, bits(-2.0), bits(1.0)), "min");
    assertResult(bits(1.0), 0, max(D, bits(-2.0), bits(1.0)), "max");
    assertResult(bits(Float.NEGATIVE_INFINITY), 0,
        min(S, bits(Float.NEGATIVE_INFINITY), bits(-Float.MAX_VALUE)), "min -inf");
    assertResult(bits(1f), 0, min(S, S_QNAN, bits(1f)), "qNaN and a number: the number");
    assertResult(bits(1f), 0, max(S, bits(1f), S_QNAN), "max skips qNaN");
    assertResult(bits(1f), NV, min(S, S_SNAN, bits(1f)), "sNaN: the number and NV");
    assertResult(bits(2.0), NV, max(D, bits(2.0), D_SNAN), "double sNaN");
    assertResult(S.canonicalNaN, 0, min(S, S_QNAN, S_QNAN), "two NaNs: canonical");
    assertResult(D.canonicalNaN, NV, max(D, D_SNAN, D_QNAN), "two NaNs, one signalling");
  }

  @Test
  void quietAndSignalingComparisons() {
    FloatFlags flags = new FloatFlags();
    assertFalse(FloatCompare.equal(S, S_QNAN, bits(1f), flags));
    assertEquals(0, flags.raised, "FEQ is quiet for qNaN");
    assertFalse(FloatCompare.equal(S, S_SNAN, bits(1f), flags));
    assertEquals(NV, flags.raised, "FEQ signals for sNaN");
    flags.clear();
    assertFalse(FloatCompare.less(D, D_QNAN, bits(1.0), false, flags));
    assertEquals(NV, flags.raised, "FLT signals for qNaN");
    flags.clear();
    assertFalse(FloatCompare.less(D, bits(1.0), D_QNAN, true, flags));
    assertEquals(NV, flags.raised, "FLE signals for qNaN");
    flags.clear();
    assertTrue(FloatCompare.equal(S, bits(0f), bits(-0f), flags), "+0 == -0");
    assertTrue(FloatCompare.less(S, bits(-0f), bits(0f), true, flags), "-0 <= +0");
    assertFalse(FloatCompare.less(S, bits(-0f), bits(0f), false, flags), "not -0 < +0");
    assertTrue(FloatCompare.less(D, bits(-3.0), bits(-2.0), false, flags), "-3 < -2");
    assertFalse(FloatCompare.less(D, bits(-2.0), bits(-3.0), true, flags), "not -2 <= -3");
    assertTrue(FloatCompare.less(D, bits(Double.MIN_VALUE), bits(1.0), false, flags));
    assertFalse(FloatCompare.equal(D, bits(1.0), bits(Math.nextUp(1.0)), flags));
    assertEquals(0, flags.raised);
  }

  @Test
  void classifySetsOneBitPerClass() {
    long[] singles = {bits(Float.NEGATIVE_INFINITY), bits(-1f), bits(-Float.MIN_VALUE), bits(-0f),
        bits(0f), bits(Float.MIN_VALUE), bits(1f), bits(Float.POSITIVE_INFINITY), S_SNAN, S_QNAN};
    long[] doubles = {bits(Double.NEGATIVE_INFINITY), bits(-1.0), bits(-Double.MIN_VALUE),
        bits(-0.0), bits(0.0), bits(Double.MIN_VALUE), bits(1.0), bits(Double.POSITIVE_INFINITY),
        D_SNAN, D_QNAN};
    for (int i = 0; i < singles.length; i++) {
      assertEquals(1L << i, FloatCompare.classify(S, singles[i]), "single class " + i);
      assertEquals(1L << i, FloatCompare.classify(D, doubles[i]), "double class " + i);
    }
    assertEquals(1L << 2, FloatCompare.classify(S, bits(-Float.MIN_NORMAL / 2)), "largest subnormal");
    assertEquals(1L << 6, FloatCompare.classify(S, bits(Float.MIN_NORMAL)), "smallest normal");
  }

  @Test
  void signInjection() {
    assertEquals(bits(-2f), FloatCompare.injectSign(S, bits(2f), bits(-1f), 0), "fsgnj");
    assertEquals(bits(2f), FloatCompare.injectSign(S, bits(2f), bits(-1f), 1), "fsgnjn");
    assertEquals(bits(-2f), FloatCompare.injectSign(S, bits(-2f), bits(1f), 2), "fsgnjx");
    assertEquals(bits(2f), FloatCompare.injectSign(S, bits(-2f), bits(-1f), 2), "fsgnjx --");
    assertEquals(bits(-2.0), FloatCompare.injectSign(D, bits(-2.0), bits(-1.0), 0), "fmv (double)");
    assertEquals(S_QNAN & ~S.signBit, FloatCompare.injectSign(S, S_QNAN, bits(1f), 0),
        "NaN payload kept");
  }
}
