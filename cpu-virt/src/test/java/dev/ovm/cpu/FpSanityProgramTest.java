package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code fp-sanity.bin} (test resources: C source, start code and Makefile beside it), a
 * program compiled by GCC for rv64imafdc, and compares each result it stores with the same
 * computation in Java (which rounds to nearest-even like the program's default frm = 0).
 */
class FpSanityProgramTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private long result(int index) {
    return f.load64(HartFixture.DATA + 8L * index);
  }

  private static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  private static long bits(float value) {
    return Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
  }

  @Test
  void compiledFloatingPointCodeComputesWhatJavaComputes() throws IOException {
    byte[] program;
    try (InputStream in = getClass().getResourceAsStream("/fp-sanity/fp-sanity.bin")) {
      assertNotNull(in, "fp-sanity.bin on the test class path");
      program = in.readAllBytes();
    }
    f.ram.write(HartFixture.CODE, program, 0, program.length);
    f.hart.reset(HartFixture.CODE);
    f.runMore();

    double harmonic = 0;
    for (int i = 1; i <= 100; i++) {
      harmonic += 1.0 / i;
    }
    float tenths = 0;
    for (int i = 1; i <= 50; i++) {
      tenths += (float) i * 0.1f;
    }
    long[] expected = {
        bits(1.1 * 3.0 + -2.5),
        bits(Math.sqrt(3.0)),
        bits(1.1 / 3.0),
        bits((double) 1.1f),
        bits((float) 1.1),
        bits(1.1f * 3.0f - -2.5f),
        bits((float) Math.sqrt(3.0f)),
        bits(Math.fma(1.1, 3.0, -2.5)),
        bits(Math.fma(1.1f, 3.0f, -2.5f)),
        -2,
        Integer.MAX_VALUE, // fcvt.w.s of 1e30 saturates
        -1, // fcvt.lu.d of 1e300 saturates to 2^64 - 1
        bits(-2.5),
        1,
        bits(harmonic),
        bits(tenths),
        bits((double) 123456789012345678L),
        FloatFlags.NV | FloatFlags.NX,
        0x3FD5_5555_5555_5556L, // 1/3 rounded up under frm = RUP
    };
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Long.toHexString(expected[i]), Long.toHexString(result(i)), "result " + i);
    }
  }
}
