package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockTranslator#kind} must take exactly the encodings the interpreter executes among the
 * opcodes blocks take, since a reserved encoding inside a block would run instead of raising
 * illegal instruction. Checked exhaustively against the interpreter and against the reserved
 * encodings read from the spec (Unpriv 2.4–2.6, 5.2–5.3, 13, 16): every funct3 × funct7 of every
 * block opcode, and every 16-bit compressed instruction. Every straight-line combination then
 * runs in a loop on an interpreting and a translating hart in lockstep.
 */
class BlockLegalityTest {
  private static final int[] BLOCK_OPCODES = {Opcode.LUI, Opcode.AUIPC, Opcode.OP_IMM,
      Opcode.OP_IMM_32, Opcode.OP, Opcode.OP_32, Opcode.LOAD, Opcode.STORE, Opcode.BRANCH,
      Opcode.JAL, Opcode.JALR};
  private static final int RD = Asm.A1, RS1 = Asm.A2, RS2 = Asm.A3;

  private final HartFixture f = new HartFixture();
  private final long word;

  BlockLegalityTest() {
    Asm a = new Asm(HartFixture.CODE);
    a.li(Asm.T0, HartFixture.HALT).csrw(CsrAddress.MTVEC, Asm.T0);
    word = a.here();
    f.place(a);
    f.hart.setTranslationThreshold(0);
  }

  @AfterEach
  void close() {
    f.close();
  }

  /**
   * Whether (opcode, funct3, funct7) is an instruction of RV64IM, from the spec's encoding
   * tables; funct7 is bits 31:25 (for OP-IMM shifts, funct6 is its upper 6 bits).
   */
  static boolean legal(int opcode, int f3, int f7) {
    return switch (opcode) {
      case Opcode.OP -> f7 == 0 || f7 == 1 || (f7 == 0x20 && (f3 == 0 || f3 == 5));
      case Opcode.OP_32 -> (f7 == 0 && (f3 == 0 || f3 == 1 || f3 == 5))
          || (f7 == 0x20 && (f3 == 0 || f3 == 5)) || (f7 == 1 && (f3 == 0 || f3 >= 4));
      case Opcode.OP_IMM -> switch (f3) {
        case 1 -> f7 >> 1 == 0; // SLLI: funct6 = 0
        case 5 -> f7 >> 1 == 0 || f7 >> 1 == 0x10; // SRLI, SRAI
        default -> true;
      };
      case Opcode.OP_IMM_32 -> switch (f3) {
        case 0 -> true; // ADDIW
        case 1 -> f7 == 0; // SLLIW
        case 5 -> f7 == 0 || f7 == 0x20; // SRLIW, SRAIW
        default -> false;
      };
      case Opcode.LOAD -> f3 != 7; // LB..LWU; funct3 7 would be LDU (RV128)
      case Opcode.STORE -> f3 < 4;
      case Opcode.BRANCH -> f3 != 2 && f3 != 3;
      case Opcode.JALR -> f3 == 0;
      case Opcode.LUI, Opcode.AUIPC, Opcode.JAL -> true;
      default -> throw new IllegalArgumentException("not a block opcode: " + opcode);
    };
  }

  static int word(int opcode, int f3, int f7) {
    return opcode | RD << 7 | f3 << 12 | RS1 << 15 | RS2 << 20 | f7 << 25;
  }

  /** Every funct3 × funct7 word of the block opcodes that is {@code legal} (or reserved). */
  static int[] combinations(boolean legal) {
    return Arrays.stream(BLOCK_OPCODES).flatMap(opcode -> IntStream.range(0, 8 * 128)
            .filter(c -> legal(opcode, c & 7, c >> 3) == legal)
            .map(c -> word(opcode, c & 7, c >> 3)))
        .toArray();
  }

  /** Runs {@code instruction} (a word or a halfword) once, interpreted: did it raise illegal? */
  private boolean interpreterRaisesIllegal(int instruction) {
    f.ram.write(word, new byte[] {(byte) instruction, (byte) (instruction >> 8),
        (byte) (instruction >> 16), (byte) (instruction >> 24)}, 0, 4);
    f.hart.reset(HartFixture.CODE);
    long prologue = (word - HartFixture.CODE) / 4;
    f.hart.run(prologue + 1);
    boolean illegal = f.hart.csr(CsrAddress.MCAUSE) == Cause.ILLEGAL_INSTRUCTION;
    if (illegal) {
      assertEquals(word, f.hart.csr(CsrAddress.MEPC));
    }
    return illegal;
  }

  @Test
  void everyFunctCombinationAgreesWithTheInterpreterAndTheSpec() {
    int checked = 0;
    for (int opcode : BLOCK_OPCODES) {
      for (int f3 = 0; f3 < 8; f3++) {
        for (int f7 = 0; f7 < 128; f7++) {
          int insn = word(opcode, f3, f7);
          String what = String.format("0x%08x (opcode 0x%02x funct3 %d funct7 0x%02x)", insn,
              opcode, f3, f7);
          boolean legal = legal(opcode, f3, f7);
          assertEquals(!legal, interpreterRaisesIllegal(insn), what + ": the interpreter");
          assertEquals(legal, BlockTranslator.kind(insn) != 0, what + ": BlockTranslator.kind");
          checked++;
        }
      }
    }
    assertEquals(BLOCK_OPCODES.length * 1024, checked);
  }

  private static boolean isBlockOpcode(int opcode) {
    return Arrays.stream(BLOCK_OPCODES).anyMatch(o -> o == opcode);
  }

  /**
   * Every 16-bit instruction (Unpriv 16): a block takes its expansion only if the interpreter
   * executes it, and takes every one the interpreter executes whose expansion has a block opcode.
   */
  @Test
  void everyCompressedInstructionAgreesWithTheInterpreter() {
    int taken = 0;
    for (int half = 0; half < 0x10000; half++) {
      if ((half & 3) == 3) {
        continue;
      }
      int expanded = Rvc.expand(half);
      boolean illegal = interpreterRaisesIllegal(half | 0x0001_0000); // then c.nop
      String what = String.format("0x%04x (expands to 0x%08x)", half, expanded);
      boolean blockTakes = BlockTranslator.kind(expanded) != 0;
      if (blockTakes) {
        taken++;
        assertTrue(!illegal, what + ": a block takes what the interpreter raises");
      } else if (expanded != 0 && isBlockOpcode(expanded & 0x7F)) {
        assertTrue(illegal, what + ": the interpreter executes what no block takes");
      }
      if (expanded == 0) {
        assertTrue(illegal, what + ": reserved");
        assertEquals(half, f.hart.csr(CsrAddress.MTVAL), what + ": mtval");
      }
    }
    assertTrue(taken > 30_000, "compressed instructions blocks take: " + taken);
  }

  /**
   * Every funct3 × funct7 of the straight-line block opcodes (legal or reserved; loads and stores
   * through a base in the data pages, so offsets from -2048 to 2047 and misaligned ones), in a
   * loop that runs twice, on an interpreting and a translating hart stepped 1–9 and 700
   * instructions at a time: after each step the same state. Each result feeds the next instruction's operands.
   */
  @Test
  void everyStraightLineCombinationRunsTheSameTranslated() {
    int[] opcodes = {Opcode.OP, Opcode.OP_32, Opcode.OP_IMM, Opcode.OP_IMM_32, Opcode.LOAD,
        Opcode.STORE, Opcode.LUI, Opcode.AUIPC};
    try (LockstepHarts harts = new LockstepHarts(1)) {
      for (int opcode : opcodes) {
        DifferentialGuest guest = new DifferentialGuest(harts, false, opcode);
        GuestCode code = new GuestCode();
        code.word(RandomProgram.iType(Opcode.OP_IMM, Asm.S11, 0, 0, 2)); // li s11, 2
        int loop = code.newLabel();
        code.label(loop);
        for (int c = 0; c < 8 * 128; c++) {
          int insn = word(opcode, c & 7, c >> 3);
          int low = (c & 8) != 0 ? 8 : 13; // offset bits 4:0 of loads and stores: aligned or odd
          insn = switch (opcode) {
            case Opcode.LOAD -> insn & ~(31 << 20) | low << 20;
            case Opcode.STORE -> insn & ~(31 << 7) | low << 7;
            case Opcode.LUI, Opcode.AUIPC -> insn;
            default -> insn & ~(31 << 15) | RD << 15; // rs1 = rd: a chain of results
          };
          code.word(insn);
          code.word(RandomProgram.rType(Opcode.OP, RS2, 0, RS2, RD, 0)); // add rs2, rs2, rd
        }
        code.word(RandomProgram.iType(Opcode.OP_IMM, Asm.S11, 0, Asm.S11, -1));
        int done = code.newLabel();
        code.branch(0, Asm.S11, 0, done); // beq s11, zero, done: the loop is too long for bne
        code.jal(0, loop);
        code.label(done);
        harts.place(guest.prologue(DifferentialGuest.MAIN));
        harts.place(code.assemble(DifferentialGuest.MAIN).j(DifferentialGuest.END));
        harts.reset(DifferentialGuest.PROLOGUE);
        harts.setX(RS1, DifferentialGuest.DATA + 0x1000);
        harts.setX(RD, 0x0123_4567_89AB_CDEFL);
        harts.setX(RS2, -3);
        VcpuExit exit;
        int step = 0;
        do { // mostly too few instructions for a long block, then enough for many
          exit = harts.step(step % 10 == 9 ? 700 : 1 + step % 10);
          step++;
        } while (exit != VcpuExit.WFI);
        assertTrue(harts.statistics(1).instructions() > 1000,
            "opcode " + opcode + " ran translated: " + harts.statistics(1));
      }
    }
  }
}
