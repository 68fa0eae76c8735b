package dev.ovm.cpu;

/**
 * The arithmetic whose RISC-V semantics differ from Java's operators: unsigned comparison, the M
 * extension's high multiplies and its division corner cases (Unpriv spec 13.2, table 13.1), and
 * the AMO operations (Unpriv 14.4). All values are XLEN=64 bit patterns in {@code long}s; the
 * unsigned helpers reinterpret them, which is what the {@code signedness} suppressions say.
 */
final class Alu {
  private static final long WORD_MASK = 0xFFFF_FFFFL;

  private Alu() {}

  /** a &lt; b as unsigned 64-bit numbers (SLTU, BLTU). */
  static boolean lessUnsigned(long a, long b) {
    return a + Long.MIN_VALUE < b + Long.MIN_VALUE;
  }

  /** SRL/SRLI: logical right shift by the low 6 bits of {@code shamt}. */
  @SuppressWarnings("signedness") // a logical shift of a register bit pattern is what SRL means
  static long srl(long a, long shamt) {
    return a >>> shamt;
  }

  /** SRLW/SRLIW: logical right shift of the low word by the low 5 bits, sign-extended. */
  @SuppressWarnings("signedness") // as srl, on the 32-bit word
  static long srlw(int a, long shamt) {
    return a >>> shamt;
  }

  /** MULHU: the high 64 bits of the unsigned 128-bit product. */
  @SuppressWarnings("signedness") // both operands are register bit patterns read as unsigned
  static long mulhu(long a, long b) {
    return Math.unsignedMultiplyHigh(a, b);
  }

  /** MULHSU: the high 64 bits of signed a × unsigned b. */
  static long mulhsu(long a, long b) {
    // unsigned b = signed b + 2^64 when b < 0, which adds a × 2^64: a to the high half
    return Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
  }

  /** DIV: division by zero gives -1; MIN / -1 overflows to MIN (as Java's operator does). */
  static long div(long a, long b) {
    return b == 0 ? -1 : a / b;
  }

  /** DIVU: division by zero gives 2^64 - 1. */
  @SuppressWarnings("signedness") // register bit patterns read as unsigned
  static long divu(long a, long b) {
    return b == 0 ? -1 : Long.divideUnsigned(a, b);
  }

  /** REM: remainder by zero gives a; MIN % -1 is 0 (as Java's operator gives). */
  static long rem(long a, long b) {
    return b == 0 ? a : a % b;
  }

  /** REMU: remainder by zero gives a. */
  @SuppressWarnings("signedness") // register bit patterns read as unsigned
  static long remu(long a, long b) {
    return b == 0 ? a : Long.remainderUnsigned(a, b);
  }

  /** DIVW: 32-bit signed division, sign-extended. */
  static long divw(long a, long b) {
    int dividend = (int) a;
    int divisor = (int) b;
    return divisor == 0 ? -1 : dividend / divisor;
  }

  /** DIVUW: 32-bit unsigned division, sign-extended. */
  static long divuw(long a, long b) {
    long divisor = b & WORD_MASK;
    return divisor == 0 ? -1 : (long) (int) ((a & WORD_MASK) / divisor);
  }

  /** REMW: 32-bit signed remainder, sign-extended. */
  static long remw(long a, long b) {
    int dividend = (int) a;
    int divisor = (int) b;
    return divisor == 0 ? dividend : dividend % divisor;
  }

  /** REMUW: 32-bit unsigned remainder, sign-extended. */
  static long remuw(long a, long b) {
    long divisor = b & WORD_MASK;
    return divisor == 0 ? (long) (int) a : (long) (int) ((a & WORD_MASK) % divisor);
  }

  /** AMO funct5 values (Unpriv 14.4). */
  static final int AMOADD = 0x00;
  static final int AMOSWAP = 0x01;
  static final int LR = 0x02;
  static final int SC = 0x03;
  static final int AMOXOR = 0x04;
  static final int AMOOR = 0x08;
  static final int AMOAND = 0x0C;
  static final int AMOMIN = 0x10;
  static final int AMOMAX = 0x14;
  static final int AMOMINU = 0x18;
  static final int AMOMAXU = 0x1C;

  /** True if {@code funct5} names one of the read-modify-write AMOs. */
  static boolean isAmo(int funct5) {
    return switch (funct5) {
      case AMOADD, AMOSWAP, AMOXOR, AMOOR, AMOAND, AMOMIN, AMOMAX, AMOMINU, AMOMAXU -> true;
      default -> false;
    };
  }

  /**
   * The value an AMO stores, from the old memory value and rs2. For .W both come in
   * sign-extended from 32 bits and the unsigned comparisons look at the low 32 bits only.
   */
  static long amo(int funct5, long old, long src, boolean word) {
    return switch (funct5) {
      case AMOSWAP -> src;
      case AMOADD -> old + src;
      case AMOXOR -> old ^ src;
      case AMOAND -> old & src;
      case AMOOR -> old | src;
      case AMOMIN -> Math.min(old, src);
      case AMOMAX -> Math.max(old, src);
      case AMOMINU -> lessUnsigned(unsignedView(old, word), unsignedView(src, word)) ? old : src;
      default -> lessUnsigned(unsignedView(old, word), unsignedView(src, word)) ? src : old;
    };
  }

  private static long unsignedView(long value, boolean word) {
    return word ? value & WORD_MASK : value;
  }
}
