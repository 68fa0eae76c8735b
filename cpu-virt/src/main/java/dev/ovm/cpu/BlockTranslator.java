package dev.ovm.cpu;

import static org.objectweb.asm.Opcodes.*;

import dev.ovm.memory.GuestRam;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Translates a block of guest code into a JVM hidden class ({@link CompiledBlock}), which HotSpot
 * then compiles like any other method: no decode, no dispatch, registers that stay in host
 * registers between instructions of the block.
 *
 * <p>A block starts at a machine offset and takes instructions in sequence while they are RV64I
 * or M integer computation (OP, OP-IMM, OP-32, OP-IMM-32, LUI, AUIPC) or integer loads and stores,
 * in 32-bit or compressed form (Unpriv chapters 2, 5, 13, 16). A conditional branch is a side
 * exit: taken, it leaves the block; not taken, the block goes on. JAL or JALR ends the block and is
 * included. Anything else (SYSTEM, AMO, MISC-MEM, F/D, reserved encodings) ends the block before
 * it, for the interpreter to execute or to raise. A block never leaves its page, so one fetch
 * translation covers all of it; at most {@value #MAX_INSTRUCTIONS} instructions.
 *
 * <p>Semantics are the interpreter's, instruction for instruction: the same operations in the same
 * order, with loads and stores through the same {@link MemoryAccess#load}/{@link
 * MemoryAccess#store}. Only loads and stores can raise in a block; before each, the code records
 * its index in {@link HartState#blockStep}. Register values are written to {@code x} as each
 * instruction completes, so a trap leaves exactly the state the interpreter would.
 */
final class BlockTranslator {
  /** Longest block, in instructions. */
  static final int MAX_INSTRUCTIONS = 64;

  private static final String BLOCK_NAME = "dev/ovm/cpu/TranslatedCode";
  private static final String STATE = Type.getInternalName(HartState.class);
  private static final String MEMORY = Type.getInternalName(MemoryAccess.class);
  private static final String ALU = Type.getInternalName(Alu.class);
  private static final String RUN_DESCRIPTOR = "(L" + STATE + ";[JL" + MEMORY + ";J)J";
  private static final String BINARY = "(JJ)J";

  // locals of run(): this, s, x, memory, pc (two slots), a temporary long (two slots)
  private static final int L_STATE = 1;
  private static final int L_X = 2;
  private static final int L_MEMORY = 3;
  private static final int L_PC = 4;
  private static final int L_TEMP = 6;

  private final MethodHandles.Lookup lookup = MethodHandles.lookup();
  private final GuestRam ram;
  private long translated;

  BlockTranslator(GuestRam ram) {
    this.ram = ram;
  }

  /** Blocks translated so far (for statistics). */
  long translated() {
    return translated;
  }

  /**
   * Translates the block whose first instruction is at machine offset {@code offset}, with
   * {@code pageLeft} bytes left on its page from there; {@link TranslatedBlock#NONE} if its first
   * instruction is one that blocks do not take.
   */
  TranslatedBlock translate(long offset, int pageLeft) {
    int[] insns = new int[MAX_INSTRUCTIONS];
    short[] pcOffsets = new short[MAX_INSTRUCTIONS];
    int count = 0;
    int position = 0;
    while (count < MAX_INSTRUCTIONS && position + 2 <= pageLeft) {
      int low = ram.load16(offset + position) & 0xFFFF;
      int insn;
      int length;
      if ((low & 3) != 3) {
        insn = Rvc.expand(low);
        length = 2;
      } else if (position + 4 <= pageLeft) {
        insn = low | (ram.load16(offset + position + 2) & 0xFFFF) << 16;
        length = 4;
      } else {
        break;
      }
      int kind = kind(insn);
      if (kind == UNSUPPORTED) {
        break;
      }
      insns[count] = insn; // a compressed instruction's expansion
      pcOffsets[count] = (short) position;
      count++;
      position += length;
      if (kind == ENDS_BLOCK) {
        break;
      }
    }
    if (count == 0) {
      return TranslatedBlock.NONE;
    }
    short[] parcels = new short[position / 2];
    for (int i = 0; i < parcels.length; i++) {
      parcels[i] = ram.load16(offset + 2L * i);
    }
    CompiledBlock code = define(generate(insns, pcOffsets, count, position));
    translated++;
    return new TranslatedBlock(code, offset, count, Arrays.copyOf(pcOffsets, count), parcels);
  }

  private static final int UNSUPPORTED = 0;
  private static final int STRAIGHT = 1;
  private static final int ENDS_BLOCK = 2;

  /**
   * Whether a block takes {@code insn} (a 32-bit instruction or a compressed one's expansion; 0
   * for a reserved compressed encoding), mirroring the interpreter's legality checks exactly: an
   * encoding the interpreter would raise as illegal is {@link #UNSUPPORTED}.
   */
  static int kind(int insn) {
    int f3 = (insn >> 12) & 7;
    int f7 = (insn >> 25) & 0x7F;
    return switch (insn & 0x7F) {
      case Opcode.LUI, Opcode.AUIPC -> STRAIGHT;
      case Opcode.OP_IMM -> switch (f3) {
        case 1 -> ((insn >> 26) & 0x3F) == 0 ? STRAIGHT : UNSUPPORTED; // SLLI
        case 5 -> ((insn >> 26) & 0x2F) == 0 ? STRAIGHT : UNSUPPORTED; // SRLI, SRAI
        default -> STRAIGHT;
      };
      case Opcode.OP_IMM_32 -> switch (f3) {
        case 0 -> STRAIGHT; // ADDIW
        case 1 -> f7 == 0 ? STRAIGHT : UNSUPPORTED; // SLLIW
        case 5 -> f7 == 0 || f7 == 0x20 ? STRAIGHT : UNSUPPORTED; // SRLIW, SRAIW
        default -> UNSUPPORTED;
      };
      case Opcode.OP -> switch (f7) {
        case 0, 1 -> STRAIGHT;
        case 0x20 -> f3 == 0 || f3 == 5 ? STRAIGHT : UNSUPPORTED; // SUB, SRA
        default -> UNSUPPORTED;
      };
      case Opcode.OP_32 -> switch (f7) {
        case 0 -> f3 == 0 || f3 == 1 || f3 == 5 ? STRAIGHT : UNSUPPORTED; // ADDW, SLLW, SRLW
        case 0x20 -> f3 == 0 || f3 == 5 ? STRAIGHT : UNSUPPORTED; // SUBW, SRAW
        case 1 -> f3 == 0 || f3 >= 4 ? STRAIGHT : UNSUPPORTED; // MULW, DIVW..REMUW
        default -> UNSUPPORTED;
      };
      case Opcode.LOAD -> f3 != 7 ? STRAIGHT : UNSUPPORTED;
      case Opcode.STORE -> f3 < 4 ? STRAIGHT : UNSUPPORTED;
      case Opcode.BRANCH -> f3 != 2 && f3 != 3 ? STRAIGHT : UNSUPPORTED; // a side exit
      case Opcode.JAL -> ENDS_BLOCK;
      case Opcode.JALR -> f3 == 0 ? ENDS_BLOCK : UNSUPPORTED;
      default -> UNSUPPORTED;
    };
  }

  // ---- code generation ----

  // "argument": ASM is not annotated for nullness; its Javadoc allows null for a class or
  // method's generic signature and exceptions, which is what these calls pass. "index": translate()
  // fills the first count entries of both arrays, and count <= MAX_INSTRUCTIONS, their length.
  @SuppressWarnings({"argument", "index"})
  private static byte[] generate(int[] insns, short[] pcOffsets, int count, int byteLength) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        return "java/lang/Object"; // the code has no merges of distinct reference types
      }
    };
    cw.visit(V21, ACC_FINAL | ACC_SUPER, BLOCK_NAME, null, "java/lang/Object",
        new String[] {Type.getInternalName(CompiledBlock.class)});
    MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", RUN_DESCRIPTOR, null, null);
    mv.visitCode();
    Emitter emit = new Emitter(mv);
    boolean ended = false;
    for (int k = 0; k < count; k++) {
      int position = pcOffsets[k];
      int next = k + 1 < count ? pcOffsets[k + 1] : byteLength;
      ended = emit.instruction(insns[k], k, position, next - position); // 2 or 4 bytes
    }
    if (!ended) {
      emit.step(count);
      emit.returnPcPlus(byteLength);
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private CompiledBlock define(byte[] bytes) {
    try {
      MethodHandles.Lookup hidden = lookup.defineHiddenClass(bytes, true);
      return (CompiledBlock)
          hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("the block translator generated a class the JVM refused", e);
    }
  }

  /** Emits the bytecode of one instruction at a time into {@code run}. */
  private static final class Emitter {
    private final MethodVisitor mv;

    Emitter(MethodVisitor mv) {
      this.mv = mv;
    }

    /** Emits {@code insn}; true if it ended the method (a branch or jump returned). */
    boolean instruction(int insn, int step, int position, int length) {
      int rd = (insn >> 7) & 31;
      int rs1 = (insn >> 15) & 31;
      int rs2 = (insn >> 20) & 31;
      int f3 = (insn >> 12) & 7;
      int f7 = (insn >> 25) & 0x7F;
      switch (insn & 0x7F) {
        case Opcode.LUI -> {
          if (rd != 0) {
            target(rd);
            constant(insn & 0xFFFF_F000); // sign-extended from 32 bits
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.AUIPC -> {
          if (rd != 0) {
            target(rd);
            pcPlus(position + (long) (insn & 0xFFFF_F000));
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.OP_IMM -> {
          if (rd != 0) {
            target(rd);
            opImm(insn, f3, rs1);
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.OP_IMM_32 -> {
          if (rd != 0) {
            target(rd);
            register(rs1);
            mv.visitInsn(L2I);
            int imm = insn >> 20;
            switch (f3) {
              case 0 -> {
                intConstant(imm);
                mv.visitInsn(IADD);
              }
              case 1 -> shiftWord(imm, ISHL);
              default -> shiftWord(imm, f7 == 0 ? IUSHR : ISHR);
            }
            mv.visitInsn(I2L);
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.OP -> {
          if (rd != 0) {
            target(rd);
            register(rs1);
            register(rs2);
            op(f7, f3);
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.OP_32 -> {
          if (rd != 0) {
            target(rd);
            op32(f7, f3, rs1, rs2);
            mv.visitInsn(LASTORE);
          }
        }
        case Opcode.LOAD -> {
          if (rd != 0) {
            target(rd);
          }
          step(step);
          mv.visitVarInsn(ALOAD, L_MEMORY);
          register(rs1);
          constant(insn >> 20);
          mv.visitInsn(LADD);
          intConstant(f3);
          mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "load", "(JI)J", false);
          mv.visitInsn(rd != 0 ? LASTORE : POP2); // a load into x0 still accesses memory
        }
        case Opcode.STORE -> {
          step(step);
          mv.visitVarInsn(ALOAD, L_MEMORY);
          register(rs1);
          constant((insn >> 25) << 5 | (insn >> 7) & 0x1F);
          mv.visitInsn(LADD);
          intConstant(f3);
          register(rs2);
          mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "store", "(JIJ)V", false);
        }
        case Opcode.BRANCH -> branch(insn, f3, rs1, rs2, step, position);
        case Opcode.JAL -> {
          link(rd, position + length);
          step(step + 1);
          pcPlus(position + Interpreter.immJ(insn));
          mv.visitInsn(LRETURN);
          return true;
        }
        case Opcode.JALR -> {
          register(rs1); // the target first: rd may be rs1
          constant(insn >> 20);
          mv.visitInsn(LADD);
          constant(~1L);
          mv.visitInsn(LAND);
          mv.visitVarInsn(LSTORE, L_TEMP);
          link(rd, position + length);
          step(step + 1);
          mv.visitVarInsn(LLOAD, L_TEMP);
          mv.visitInsn(LRETURN);
          return true;
        }
        default -> throw new IllegalArgumentException("not a block instruction: " + insn);
      }
      return false;
    }

    /** OP-IMM (Unpriv 2.4.1): the value of rs1 OP imm on the stack. */
    private void opImm(int insn, int f3, int rs1) {
      long imm = insn >> 20;
      register(rs1);
      switch (f3) {
        case 0 -> binary(imm, LADD); // ADDI
        case 1 -> shift((int) imm & 63, LSHL); // SLLI
        case 2 -> { // SLTI
          constant(imm);
          lessThan(false);
        }
        case 3 -> { // SLTIU
          constant(imm);
          lessThan(true);
        }
        case 4 -> binary(imm, LXOR);
        case 5 -> shift((int) imm & 63, ((insn >> 26) & 0x3F) == 0 ? LUSHR : LSHR); // SRLI, SRAI
        case 6 -> binary(imm, LOR);
        default -> binary(imm, LAND);
      }
    }

    /** OP (Unpriv 2.4.2, 13.1): both operands on the stack, the result replaces them. */
    private void op(int f7, int f3) {
      if (f7 == 1) {
        switch (f3) {
          case 0 -> mv.visitInsn(LMUL);
          case 1 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "multiplyHigh", BINARY, false);
          case 2 -> alu("mulhsu");
          case 3 -> alu("mulhu");
          case 4 -> alu("div");
          case 5 -> alu("divu");
          case 6 -> alu("rem");
          default -> alu("remu");
        }
        return;
      }
      switch (f3) {
        case 0 -> mv.visitInsn(f7 == 0 ? LADD : LSUB);
        case 1 -> shiftByRegister(LSHL); // SLL: Java uses the low 6 bits, as RV64 does
        case 2 -> lessThan(false);
        case 3 -> lessThan(true);
        case 4 -> mv.visitInsn(LXOR);
        case 5 -> shiftByRegister(f7 == 0 ? LUSHR : LSHR); // SRL, SRA
        case 6 -> mv.visitInsn(LOR);
        default -> mv.visitInsn(LAND);
      }
    }

    /** OP-32 (Unpriv 5.2, 13.2): the sign-extended 32-bit result on the stack. */
    private void op32(int f7, int f3, int rs1, int rs2) {
      register(rs1);
      if (f7 == 1 && f3 >= 4) {
        register(rs2);
        alu(switch (f3) {
          case 4 -> "divw";
          case 5 -> "divuw";
          case 6 -> "remw";
          default -> "remuw";
        });
        return;
      }
      mv.visitInsn(L2I);
      register(rs2);
      mv.visitInsn(L2I);
      if (f7 == 1) {
        mv.visitInsn(IMUL); // MULW
      } else {
        switch (f3) {
          case 0 -> mv.visitInsn(f7 == 0 ? IADD : ISUB);
          case 1 -> mv.visitInsn(ISHL); // Java uses the low 5 bits, as SLLW does
          default -> mv.visitInsn(f7 == 0 ? IUSHR : ISHR);
        }
      }
      mv.visitInsn(I2L);
    }

    /**
     * A branch (Unpriv 2.5.2) as a side exit: if taken, records that {@code step + 1} instructions
     * retired and returns the target; otherwise the block goes on with the next instruction.
     */
    private void branch(int insn, int f3, int rs1, int rs2, int step, int position) {
      register(rs1);
      register(rs2);
      if (f3 >= 6) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
      } else {
        mv.visitInsn(LCMP);
      }
      Label notTaken = new Label();
      int jump = switch (f3) { // the opposite condition skips the exit
        case 0 -> IFNE; // BEQ
        case 1 -> IFEQ; // BNE
        case 4, 6 -> IFGE; // BLT, BLTU
        default -> IFLT; // BGE, BGEU
      };
      mv.visitJumpInsn(jump, notTaken);
      step(step + 1);
      returnPcPlus(position + Interpreter.immB(insn));
      mv.visitLabel(notTaken);
    }

    private void link(int rd, long offset) {
      if (rd != 0) {
        target(rd);
        pcPlus(offset);
        mv.visitInsn(LASTORE);
      }
    }

    /** Pushes x and rd for the LASTORE that writes the result. */
    private void target(int rd) {
      mv.visitVarInsn(ALOAD, L_X);
      intConstant(rd);
    }

    /** Pushes register {@code r} (x0 reads as 0). */
    private void register(int r) {
      if (r == 0) {
        mv.visitInsn(LCONST_0);
        return;
      }
      mv.visitVarInsn(ALOAD, L_X);
      intConstant(r);
      mv.visitInsn(LALOAD);
    }

    /** Records in {@link HartState#blockStep} how many of the block's instructions retired. */
    void step(int step) {
      mv.visitVarInsn(ALOAD, L_STATE);
      intConstant(step);
      mv.visitFieldInsn(PUTFIELD, STATE, "blockStep", "I");
    }

    private void binary(long operand, int opcode) {
      constant(operand);
      mv.visitInsn(opcode);
    }

    private void shift(int amount, int opcode) {
      intConstant(amount);
      mv.visitInsn(opcode);
    }

    private void shiftWord(int amount, int opcode) {
      intConstant(amount & 31);
      mv.visitInsn(opcode);
    }

    private void shiftByRegister(int opcode) {
      mv.visitInsn(L2I);
      mv.visitInsn(opcode);
    }

    /** Replaces a, b on the stack by 1 if a < b (signed or unsigned), else 0. */
    private void lessThan(boolean unsigned) {
      if (unsigned) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
      } else {
        mv.visitInsn(LCMP);
      }
      intConstant(31);
      mv.visitInsn(IUSHR); // -1 → 1; 0 and 1 → 0
      mv.visitInsn(I2L);
    }

    private void alu(String name) {
      mv.visitMethodInsn(INVOKESTATIC, ALU, name, BINARY, false);
    }

    private void pcPlus(long offset) {
      mv.visitVarInsn(LLOAD, L_PC);
      if (offset != 0) {
        binary(offset, LADD);
      }
    }

    void returnPcPlus(long offset) {
      pcPlus(offset);
      mv.visitInsn(LRETURN);
    }

    private void constant(long value) {
      if (value == 0) {
        mv.visitInsn(LCONST_0);
      } else if (value == 1) {
        mv.visitInsn(LCONST_1);
      } else if (value == (int) value && value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
        intConstant((int) value);
        mv.visitInsn(I2L);
      } else {
        mv.visitLdcInsn(value);
      }
    }

    private void intConstant(int value) {
      if (value >= -1 && value <= 5) {
        mv.visitInsn(ICONST_0 + value);
      } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
        mv.visitIntInsn(BIPUSH, value);
      } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
        mv.visitIntInsn(SIPUSH, value);
      } else {
        mv.visitLdcInsn(value);
      }
    }
  }
}
