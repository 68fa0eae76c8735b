package dev.ovm.cpu;

/** Major opcodes (bits 6:0) of 32-bit instructions, named as in the Unpriv spec opcode map. */
final class Opcode {
  static final int LOAD = 0x03;
  static final int LOAD_FP = 0x07;
  static final int MISC_MEM = 0x0F;
  static final int OP_IMM = 0x13;
  static final int AUIPC = 0x17;
  static final int OP_IMM_32 = 0x1B;
  static final int STORE = 0x23;
  static final int STORE_FP = 0x27;
  static final int AMO = 0x2F;
  static final int OP = 0x33;
  static final int LUI = 0x37;
  static final int OP_32 = 0x3B;
  static final int BRANCH = 0x63;
  static final int JALR = 0x67;
  static final int JAL = 0x6F;
  static final int SYSTEM = 0x73;

  /** EBREAK, the expansion of C.EBREAK. */
  static final int EBREAK = 0x0010_0073;

  private Opcode() {}

  /** An R-type instruction. */
  static int r(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
    return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
  }

  /** An I-type instruction; {@code imm} is the 12-bit immediate. */
  static int i(int imm, int rs1, int funct3, int rd, int opcode) {
    return (imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
  }

  /** An S-type instruction. */
  static int s(int imm, int rs2, int rs1, int funct3, int opcode) {
    return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1F) << 7
        | opcode;
  }

  /** A B-type instruction; {@code imm} is the even byte offset. */
  static int b(int imm, int rs2, int rs1, int funct3, int opcode) {
    return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15
        | funct3 << 12 | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7 | opcode;
  }

  /** A U-type instruction; {@code imm} is the value of bits 31:12 in place (low 12 bits zero). */
  static int u(int imm, int rd, int opcode) {
    return (imm & 0xFFFF_F000) | rd << 7 | opcode;
  }

  /** A J-type instruction; {@code imm} is the even byte offset. */
  static int j(int imm, int rd, int opcode) {
    return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
        | ((imm >> 12) & 0xFF) << 12 | rd << 7 | opcode;
  }
}
