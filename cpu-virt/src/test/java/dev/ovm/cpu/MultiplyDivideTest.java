package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The M extension (Unpriv chapter 13), including the division corner cases of table 13.1. */
class MultiplyDivideTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Runs one OP (word=false) or OP-32 (word=true) M instruction on a and b, returns rd. */
  private long run(boolean word, int funct3, long a, long b) {
    Asm p = f.program();
    p.li(A0, a).li(A1, b);
    if (word) {
      p.op32(1, funct3, A2, A0, A1);
    } else {
      p.op(1, funct3, A2, A0, A1);
    }
    p.halt();
    f.run(p);
    return f.hart.x(A2);
  }

  @Test
  void multiplies() {
    assertEquals(-6, run(false, 0, 2, -3)); // MUL
    assertEquals(-1, run(false, 1, 2, -3)); // MULH: high of -6
    assertEquals(1, run(false, 3, -1L, 2)); // MULHU: (2^64-1)*2 >> 64 = 1
    assertEquals(-1, run(false, 2, -1, 2)); // MULHSU: -1 * 2 = -2, high = -1
  }

  @Test
  void mulhsuMixesSignedness() {
    // 1 * (2^64 - 1) = 2^64 - 1: high half 0
    assertEquals(0, run(false, 2, 1, -1));
    // -1 * (2^64 - 1) = -(2^64 - 1): high half -1
    assertEquals(-1, run(false, 2, -1, -1));
  }

  @Test
  void divisionByZero() {
    assertEquals(-1, run(false, 4, 7, 0)); // DIV
    assertEquals(-1, run(false, 5, 7, 0)); // DIVU
    assertEquals(7, run(false, 6, 7, 0)); // REM
    assertEquals(-7, run(false, 7, -7, 0)); // REMU
    assertEquals(-1, run(true, 4, 7, 0)); // DIVW
    assertEquals(-1, run(true, 5, 7, 0)); // DIVUW
    assertEquals(-7, run(true, 6, 0xFFFF_FFF9L, 0)); // REMW: sign-extended dividend
    assertEquals(-7, run(true, 7, 0x1_FFFF_FFF9L, 0)); // REMUW
  }

  @Test
  void signedOverflow() {
    assertEquals(Long.MIN_VALUE, run(false, 4, Long.MIN_VALUE, -1)); // DIV
    assertEquals(0, run(false, 6, Long.MIN_VALUE, -1)); // REM
    assertEquals(Integer.MIN_VALUE, run(true, 4, Integer.MIN_VALUE, -1)); // DIVW
    assertEquals(0, run(true, 6, Integer.MIN_VALUE, -1)); // REMW
  }

  @Test
  void unsignedAndWordForms() {
    assertEquals(Long.MAX_VALUE, run(false, 5, -1L, 2)); // DIVU
    assertEquals(1, run(false, 7, -1L, 2)); // REMU
    assertEquals(0x7FFF_FFFFL, run(true, 5, 0xFFFF_FFFFL, 2)); // DIVUW
    assertEquals(-2, run(true, 4, 0x1_0000_0004L, -2)); // DIVW looks at the low word only
    assertEquals(0xFFFF_FFFF_8000_0000L, run(true, 0, 0x4000_0000L, 2)); // MULW sign-extends
    assertEquals(-1, run(true, 7, 0xFFFF_FFFFL, 0)); // REMUW by 0: sign-extended dividend
  }
}
