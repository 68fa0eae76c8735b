package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The M extension and the shift/compare ALU operations, executed by the hart, against a reference
 * semantics written with {@link BigInteger} arithmetic straight from the Unpriv spec's definitions
 * (chapters 2, 5 and 13), for random and boundary operands.
 */
class AluPropertyTest {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger TWO_32 = BigInteger.ONE.shiftLeft(32);

  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** One R-type operation: its encoding and its reference result for rs1, rs2. */
  record Operation(String name, boolean word, int funct7, int funct3, BinaryOperator<Long> reference) {}

  private static BigInteger signed(long v) {
    return BigInteger.valueOf(v);
  }

  private static BigInteger unsigned(long v) {
    return BigInteger.valueOf(v).mod(TWO_64);
  }

  private static BigInteger signed32(long v) {
    return BigInteger.valueOf(v).mod(TWO_32).subtract(
        BigInteger.valueOf(v).testBit(31) ? TWO_32 : BigInteger.ZERO);
  }

  private static BigInteger unsigned32(long v) {
    return BigInteger.valueOf(v).mod(TWO_32);
  }

  /** The XLEN-bit register value of an exact result (reduce mod 2^64). */
  private static long wrap(BigInteger exact) {
    return exact.mod(TWO_64).longValue();
  }

  /** Sign-extends the low 32 bits of an exact result (the *W instructions). */
  private static long wrap32(BigInteger exact) {
    return signed32(exact.mod(TWO_32).longValue()).longValue();
  }

  private static final List<Operation> OPERATIONS = List.of(
      new Operation("MUL", false, 1, 0, (a, b) -> wrap(signed(a).multiply(signed(b)))),
      new Operation("MULH", false, 1, 1, (a, b) -> wrap(signed(a).multiply(signed(b)).shiftRight(64))),
      new Operation("MULHSU", false, 1, 2, (a, b) -> wrap(signed(a).multiply(unsigned(b)).shiftRight(64))),
      new Operation("MULHU", false, 1, 3, (a, b) -> wrap(unsigned(a).multiply(unsigned(b)).shiftRight(64))),
      new Operation("DIV", false, 1, 4, (a, b) -> b == 0 ? -1 : wrap(signed(a).divide(signed(b)))),
      new Operation("DIVU", false, 1, 5, (a, b) -> b == 0 ? -1 : wrap(unsigned(a).divide(unsigned(b)))),
      new Operation("REM", false, 1, 6, (a, b) -> b == 0 ? a : wrap(signed(a).remainder(signed(b)))),
      new Operation("REMU", false, 1, 7, (a, b) -> b == 0 ? a : wrap(unsigned(a).remainder(unsigned(b)))),
      new Operation("MULW", true, 1, 0, (a, b) -> wrap32(signed32(a).multiply(signed32(b)))),
      new Operation("DIVW", true, 1, 4, (a, b) -> signed32(b).signum() == 0 ? -1
          : wrap32(signed32(a).divide(signed32(b)))),
      new Operation("DIVUW", true, 1, 5, (a, b) -> unsigned32(b).signum() == 0 ? -1
          : wrap32(unsigned32(a).divide(unsigned32(b)))),
      new Operation("REMW", true, 1, 6, (a, b) -> signed32(b).signum() == 0 ? wrap32(signed32(a))
          : wrap32(signed32(a).remainder(signed32(b)))),
      new Operation("REMUW", true, 1, 7, (a, b) -> unsigned32(b).signum() == 0 ? wrap32(signed32(a))
          : wrap32(unsigned32(a).remainder(unsigned32(b)))),
      new Operation("SLL", false, 0, 1, (a, b) -> wrap(signed(a).shiftLeft((int) (b & 63)))),
      new Operation("SRL", false, 0, 5, (a, b) -> wrap(unsigned(a).shiftRight((int) (b & 63)))),
      new Operation("SRA", false, 0x20, 5, (a, b) -> wrap(signed(a).shiftRight((int) (b & 63)))),
      new Operation("SLLW", true, 0, 1, (a, b) -> wrap32(signed32(a).shiftLeft((int) (b & 31)))),
      new Operation("SRLW", true, 0, 5, (a, b) -> wrap32(unsigned32(a).shiftRight((int) (b & 31)))),
      new Operation("SRAW", true, 0x20, 5, (a, b) -> wrap32(signed32(a).shiftRight((int) (b & 31)))),
      new Operation("SLT", false, 0, 2, (a, b) -> signed(a).compareTo(signed(b)) < 0 ? 1L : 0L),
      new Operation("SLTU", false, 0, 3, (a, b) -> unsigned(a).compareTo(unsigned(b)) < 0 ? 1L : 0L),
      new Operation("ADDW", true, 0, 0, (a, b) -> wrap32(signed(a).add(signed(b)))),
      new Operation("SUBW", true, 0x20, 0, (a, b) -> wrap32(signed(a).subtract(signed(b)))),
      new Operation("SUB", false, 0x20, 0, (a, b) -> wrap(signed(a).subtract(signed(b)))));

  /** Operands: anything, with the corner cases of division, shifts and sign extension mixed in. */
  private static Gen<Long> operands() {
    return longs().all().mix(arbitrary().pick(0L, 1L, -1L, 2L, -2L, 31L, 32L, 63L, 64L,
        Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
        0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 0xFFFF_FFFF_0000_0000L), 40);
  }

  private long execute(Operation op, long a, long b) {
    Asm program = new Asm(HartFixture.CODE);
    program.rType(op.word() ? 0x3B : 0x33, A2, op.funct3(), A0, A1, op.funct7());
    f.place(program);
    f.hart.reset(HartFixture.CODE);
    f.hart.setX(A0, a);
    f.hart.setX(A1, b);
    f.hart.run(1);
    assertEquals(HartFixture.CODE + 4, f.hart.pc(), op.name() + " did not retire");
    return f.hart.x(A2);
  }

  @Test
  void aluMatchesTheReferenceSemantics() {
    qt().withExamples(20_000)
        .forAll(integers().between(0, OPERATIONS.size() - 1), operands(), operands())
        .checkAssert((index, a, b) -> {
          Operation op = OPERATIONS.get(index);
          assertEquals(op.reference().apply(a, b), execute(op, a, b),
              () -> String.format("%s 0x%x, 0x%x", op.name(), a, b));
        });
  }

  @Test
  void referenceSemanticsSanity() {
    // the reference itself, on the spec's table 13.1 examples, so that a wrong reference fails too
    assertEquals(-1L, OPERATIONS.get(4).reference().apply(5L, 0L));
    assertEquals(Long.MIN_VALUE, OPERATIONS.get(4).reference().apply(Long.MIN_VALUE, -1L));
    assertEquals(0L, OPERATIONS.get(6).reference().apply(Long.MIN_VALUE, -1L));
    assertEquals(-1L, OPERATIONS.get(10).reference().apply(5L, 0L));
  }
}
