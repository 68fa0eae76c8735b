package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for the floating-point tests: encodings of Java values and flag assertions. */
final class FloatTesting {
  static final FloatFormat S = FloatFormat.SINGLE;
  static final FloatFormat D = FloatFormat.DOUBLE;
  static final int RNE = Rounding.RNE;
  static final int RTZ = Rounding.RTZ;
  static final int RDN = Rounding.RDN;
  static final int RUP = Rounding.RUP;
  static final int RMM = Rounding.RMM;
  static final int NV = FloatFlags.NV;
  static final int DZ = FloatFlags.DZ;
  static final int OF = FloatFlags.OF;
  static final int UF = FloatFlags.UF;
  static final int NX = FloatFlags.NX;
  /** A signalling NaN with a payload, single and double. */
  static final long S_SNAN = 0x7F80_0001L;
  static final long D_SNAN = 0x7FF0_0000_0000_0001L;
  /** A quiet NaN with a non-canonical payload and sign. */
  static final long S_QNAN = 0xFFC0_1234L;
  static final long D_QNAN = 0xFFF8_0000_0000_1234L;

  private FloatTesting() {}

  static long bits(float value) {
    return Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
  }

  static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  static float single(long bits) {
    return Float.intBitsToFloat((int) bits);
  }

  /** The result of one operation and the flags it raised. */
  record Result(long bits, int flags) {}

  interface Operation {
    long apply(FloatFlags flags);
  }

  static Result run(Operation operation) {
    FloatFlags flags = new FloatFlags();
    long bits = operation.apply(flags);
    return new Result(bits, flags.raised);
  }

  static void assertResult(long expectedBits, int expectedFlags, Result actual, String what) {
    assertEquals(Long.toHexString(expectedBits), Long.toHexString(actual.bits()), what + ": value");
    assertEquals(flagNames(expectedFlags), flagNames(actual.flags()), what + ": flags");
  }

  static String flagNames(int flags) {
    StringBuilder names = new StringBuilder();
    String[] all = {"NX", "UF", "OF", "DZ", "NV"};
    for (int i = all.length - 1; i >= 0; i--) {
      if ((flags >> i & 1) != 0) {
        names.append(all[i]).append(' ');
      }
    }
    return names.toString().trim();
  }
}
