package dev.ovm.cpu;

import static dev.ovm.cpu.FloatConvert.L;
import static dev.ovm.cpu.FloatConvert.LU;
import static dev.ovm.cpu.FloatConvert.W;
import static dev.ovm.cpu.FloatConvert.WU;
import static dev.ovm.cpu.FloatTesting.*;

import org.junit.jupiter.api.Test;

/** FCVT between integers and S/D and between S and D: saturation (Unpriv table 20.4) and flags. */
class FloatConvertTest {
  private static final int[] MODES = {RNE, RTZ, RDN, RUP, RMM};

  private static Result toInt(FloatFormat f, long bits, int kind, int rm) {
    return run(flags -> FloatConvert.toInteger(f, bits, kind, rm, flags));
  }

  private static Result fromInt(FloatFormat f, long x, int kind, int rm) {
    return run(flags -> FloatConvert.fromInteger(f, x, kind, rm, flags));
  }

  @Test
  void wordSaturatesAtTheEdges() {
    assertResult(Integer.MAX_VALUE, NV, toInt(S, bits(0x1p31f), W, RNE), "2^31");
    assertResult(Integer.MIN_VALUE, 0, toInt(S, bits(-0x1p31f), W, RNE), "-2^31 is exact");
    assertResult(Integer.MIN_VALUE, NV, toInt(D, bits(-2147483649.0), W, RNE), "-2^31 - 1");
    assertResult(Integer.MAX_VALUE, NV, toInt(S, S.canonicalNaN, W, RNE), "NaN");
    assertResult(Integer.MAX_VALUE, NV, toInt(S, S_SNAN | S.signBit, W, RNE), "negative sNaN");
    assertResult(Integer.MAX_VALUE, NV, toInt(S, bits(Float.POSITIVE_INFINITY), W, RTZ), "+inf");
    assertResult(Integer.MIN_VALUE, NV, toInt(S, bits(Float.NEGATIVE_INFINITY), W, RTZ), "-inf");
    // -2^31 - 0.5: RTZ/RNE (tie to even -2^31)/RUP give -2^31 (NX); RDN/RMM give -2^31-1 (NV)
    int[] flags = {NX, NX, NV, NX, NV};
    for (int rm : MODES) {
      assertResult(Integer.MIN_VALUE, flags[rm], toInt(D, bits(-2147483648.5), W, rm), "rm " + rm);
    }
    // 2^31 - 0.5 under RUP rounds to 2^31: invalid
    assertResult(Integer.MAX_VALUE, NV, toInt(D, bits(2147483647.5), W, RUP), "rounds out");
    assertResult(Integer.MAX_VALUE, NX, toInt(D, bits(2147483647.5), W, RTZ), "rounds in");
  }

  @Test
  void minusHalfUnderEachMode() {
    long minusHalf = bits(-0.5f);
    long[] signed = {0, 0, -1, 0, -1}; // RNE: tie to even 0; RMM: away to -1
    for (int rm : MODES) {
      assertResult(signed[rm], NX, toInt(S, minusHalf, W, rm), "W rm " + rm);
      assertResult(signed[rm], NX, toInt(S, minusHalf, L, rm), "L rm " + rm);
    }
    // unsigned: a result of -1 is not representable (NV, clipped to 0, no NX)
    int[] unsignedFlags = {NX, NX, NV, NX, NV};
    for (int rm : MODES) {
      assertResult(0, unsignedFlags[rm], toInt(S, minusHalf, WU, rm), "WU rm " + rm);
      assertResult(0, unsignedFlags[rm], toInt(D, bits(-0.5), LU, rm), "LU rm " + rm);
    }
    assertResult(0, 0, toInt(S, bits(-0f), WU, RNE), "-0 is exactly 0");
  }

  @Test
  void unsignedAndLongEdges() {
    // 32-bit results are sign-extended to 64 bits, also for WU
    assertResult(-1L, 0, toInt(D, bits(4294967295.0), WU, RNE), "2^32 - 1");
    assertResult(-1L, NV, toInt(D, bits(4294967296.0), WU, RNE), "2^32");
    assertResult((int) 3_000_000_000L, 0, toInt(D, bits(3e9), WU, RNE), "3e9 sign-extended");
    assertResult(-1L, NV, toInt(S, S.canonicalNaN, WU, RNE), "WU NaN");
    assertResult(0, NV, toInt(S, bits(Float.NEGATIVE_INFINITY), WU, RNE), "WU -inf");
    assertResult(Long.MIN_VALUE, 0, toInt(D, bits(0x1p63), LU, RNE), "2^63 unsigned");
    assertResult(-1L, NV, toInt(D, bits(0x1p64), LU, RNE), "2^64");
    assertResult(Long.MAX_VALUE, NV, toInt(D, bits(0x1p63), L, RNE), "2^63 signed");
    assertResult(Long.MIN_VALUE, 0, toInt(D, bits(-0x1p63), L, RNE), "-2^63");
    assertResult(Long.MAX_VALUE, NV, toInt(D, D_QNAN, L, RNE), "L NaN");
    assertResult(Long.MIN_VALUE, NV, toInt(D, bits(Double.NEGATIVE_INFINITY), L, RNE), "L -inf");
    assertResult(3, NX, toInt(D, bits(2.5), L, RMM), "2.5 RMM");
    assertResult(2, NX, toInt(D, bits(2.5), L, RNE), "2.5 RNE");
    assertResult(4, NX, toInt(D, bits(3.5), L, RNE), "3.5 RNE");
  }

  @Test
  void integersToFloatRound() {
    long big = (1L << 24) + 1; // not representable in single
    long[] expected = {bits(0x1p24f), bits(0x1p24f), bits(0x1p24f), bits(0x1p24f + 2), bits(0x1p24f + 2)};
    for (int rm : MODES) {
      assertResult(expected[rm], NX, fromInt(S, big, L, rm), "2^24 + 1 rm " + rm);
    }
    assertResult(bits(0x1p64f), NX, fromInt(S, -1L, LU, RNE), "2^64 - 1 unsigned");
    assertResult(bits(0x1p64f - 0x1p40f), NX, fromInt(S, -1L, LU, RTZ), "2^64 - 1 RTZ");
    assertResult(bits(-1f), 0, fromInt(S, 0xFFFF_FFFFL, W, RNE), "W reads bits 31:0 signed");
    assertResult(bits(4294967295.0), 0, fromInt(D, -1L, WU, RNE), "WU reads bits 31:0 unsigned");
    assertResult(bits(-0x1p63), 0, fromInt(D, Long.MIN_VALUE, L, RNE), "-2^63");
    assertResult(bits(0f), 0, fromInt(S, 0, L, RDN), "zero is +0 even rounding down");
  }

  private static Result convert(FloatFormat from, FloatFormat to, long bits, int rm) {
    return run(flags -> FloatConvert.toFormat(from, to, bits, rm, flags));
  }

  @Test
  void singleDoubleConversions() {
    assertResult(bits(1.5), 0, convert(S, D, bits(1.5f), RNE), "S to D exact");
    assertResult(bits((double) Float.MIN_VALUE), 0, convert(S, D, bits(Float.MIN_VALUE), RNE),
        "subnormal single is normal double");
    assertResult(D.canonicalNaN, NV, convert(S, D, S_SNAN, RNE), "sNaN");
    assertResult(D.canonicalNaN, 0, convert(S, D, S_QNAN, RNE), "payload dropped");
    assertResult(S.canonicalNaN, 0, convert(D, S, D_QNAN, RNE), "payload dropped");
    assertResult(bits(Float.POSITIVE_INFINITY), OF | NX, convert(D, S, bits(1e39), RNE), "1e39");
    assertResult(bits(Float.MAX_VALUE), OF | NX, convert(D, S, bits(1e39), RTZ), "1e39 RTZ");
    assertResult(bits(-Float.MAX_VALUE), OF | NX, convert(D, S, bits(-1e39), RUP), "-1e39 RUP");
    assertResult(bits(0f), UF | NX, convert(D, S, bits(1e-50), RNE), "1e-50");
    assertResult(bits(Float.MIN_VALUE), UF | NX, convert(D, S, bits(1e-50), RUP), "1e-50 RUP");
    double third = 1.0 / 3;
    assertResult(bits((float) third), NX, convert(D, S, bits(third), RNE), "1/3");
    assertResult(bits(Math.nextDown((float) third)), NX, convert(D, S, bits(third), RTZ), "RTZ");
    assertResult(bits(-0f), 0, convert(D, S, bits(-0.0), RNE), "-0");
  }
}
