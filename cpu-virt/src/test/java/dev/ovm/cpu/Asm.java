package dev.ovm.cpu;

import java.io.ByteArrayOutputStream;

/**
 * A tiny RV64 assembler for tests, written from the Unpriv spec's instruction formats (chapter 2.2,
 * figure 2.3) independently of the hart's own decoder. Instructions are appended in order; the
 * address of the next one is {@link #here()}.
 */
public final class Asm {
  // register names
  public static final int ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9;
  public static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, T3 = 28, T4 = 29;
  public static final int A6 = 16, A7 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S11 = 27;

  private final long origin;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public Asm(long origin) {
    this.origin = origin;
  }

  public long here() {
    return origin + out.size();
  }

  public long origin() {
    return origin;
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  public Asm word(int value) {
    for (int i = 0; i < 4; i++) {
      out.write(value >>> (8 * i));
    }
    return this;
  }

  public Asm half(int value) {
    out.write(value);
    out.write(value >>> 8);
    return this;
  }

  // ---- formats ----
  public Asm rType(int opcode, int rd, int funct3, int rs1, int rs2, int funct7) {
    return word(opcode | rd << 7 | funct3 << 12 | rs1 << 15 | rs2 << 20 | funct7 << 25);
  }

  public Asm iType(int opcode, int rd, int funct3, int rs1, int imm) {
    if (imm < -2048 || imm > 4095) {
      throw new IllegalArgumentException("imm " + imm);
    }
    return word(opcode | rd << 7 | funct3 << 12 | rs1 << 15 | (imm & 0xFFF) << 20);
  }

  public Asm sType(int opcode, int funct3, int rs1, int rs2, int imm) {
    int low = imm & 0x1F;
    int high = (imm >> 5) & 0x7F;
    return word(opcode | low << 7 | funct3 << 12 | rs1 << 15 | rs2 << 20 | high << 25);
  }

  public Asm bType(int funct3, int rs1, int rs2, int offset) {
    int b11 = (offset >> 11) & 1, b4to1 = (offset >> 1) & 0xF;
    int b10to5 = (offset >> 5) & 0x3F, b12 = (offset >> 12) & 1;
    return word(0x63 | b11 << 7 | b4to1 << 8 | funct3 << 12 | rs1 << 15 | rs2 << 20
        | b10to5 << 25 | b12 << 31);
  }

  // ---- RV64I ----
  public Asm lui(int rd, int upper20) {
    return word(0x37 | rd << 7 | upper20 << 12);
  }

  public Asm auipc(int rd, int upper20) {
    return word(0x17 | rd << 7 | upper20 << 12);
  }

  public Asm jal(int rd, int offset) {
    int b20 = (offset >> 20) & 1, b10to1 = (offset >> 1) & 0x3FF;
    int b11 = (offset >> 11) & 1, b19to12 = (offset >> 12) & 0xFF;
    return word(0x6F | rd << 7 | b19to12 << 12 | b11 << 20 | b10to1 << 21 | b20 << 31);
  }

  /** jal x0 to an absolute address. */
  public Asm j(long target) {
    return jal(ZERO, (int) (target - here()));
  }

  /** An endless loop: where a test program stops. */
  public Asm halt() {
    return jal(ZERO, 0);
  }

  public Asm jalr(int rd, int rs1, int imm) {
    return iType(0x67, rd, 0, rs1, imm);
  }

  public Asm beq(int rs1, int rs2, int off) { return bType(0, rs1, rs2, off); }
  public Asm bne(int rs1, int rs2, int off) { return bType(1, rs1, rs2, off); }
  public Asm blt(int rs1, int rs2, int off) { return bType(4, rs1, rs2, off); }
  public Asm bge(int rs1, int rs2, int off) { return bType(5, rs1, rs2, off); }
  public Asm bltu(int rs1, int rs2, int off) { return bType(6, rs1, rs2, off); }
  public Asm bgeu(int rs1, int rs2, int off) { return bType(7, rs1, rs2, off); }

  public Asm addi(int rd, int rs1, int imm) { return iType(0x13, rd, 0, rs1, imm); }
  public Asm slti(int rd, int rs1, int imm) { return iType(0x13, rd, 2, rs1, imm); }
  public Asm sltiu(int rd, int rs1, int imm) { return iType(0x13, rd, 3, rs1, imm); }
  public Asm xori(int rd, int rs1, int imm) { return iType(0x13, rd, 4, rs1, imm); }
  public Asm ori(int rd, int rs1, int imm) { return iType(0x13, rd, 6, rs1, imm); }
  public Asm andi(int rd, int rs1, int imm) { return iType(0x13, rd, 7, rs1, imm); }
  public Asm slli(int rd, int rs1, int sh) { return iType(0x13, rd, 1, rs1, sh); }
  public Asm srli(int rd, int rs1, int sh) { return iType(0x13, rd, 5, rs1, sh); }
  public Asm srai(int rd, int rs1, int sh) { return iType(0x13, rd, 5, rs1, 0x400 | sh); }
  public Asm addiw(int rd, int rs1, int imm) { return iType(0x1B, rd, 0, rs1, imm); }
  public Asm slliw(int rd, int rs1, int sh) { return iType(0x1B, rd, 1, rs1, sh); }
  public Asm srliw(int rd, int rs1, int sh) { return iType(0x1B, rd, 5, rs1, sh); }
  public Asm sraiw(int rd, int rs1, int sh) { return iType(0x1B, rd, 5, rs1, 0x400 | sh); }

  /** OP (0x33) with funct3/funct7. */
  public Asm op(int funct7, int funct3, int rd, int rs1, int rs2) { return rType(0x33, rd, funct3, rs1, rs2, funct7); }
  /** OP-32 (0x3B) with funct3/funct7. */
  public Asm op32(int funct7, int funct3, int rd, int rs1, int rs2) { return rType(0x3B, rd, funct3, rs1, rs2, funct7); }
  /** mv rd, rs (addi rd, rs, 0). */
  public Asm mvTo(int rd, int rs) { return addi(rd, rs, 0); }
  public Asm add(int rd, int rs1, int rs2) { return op(0, 0, rd, rs1, rs2); }
  public Asm sub(int rd, int rs1, int rs2) { return op(0x20, 0, rd, rs1, rs2); }

  public Asm load(int funct3, int rd, int rs1, int imm) { return iType(0x03, rd, funct3, rs1, imm); }
  public Asm ld(int rd, int rs1, int imm) { return load(3, rd, rs1, imm); }
  public Asm lw(int rd, int rs1, int imm) { return load(2, rd, rs1, imm); }
  public Asm store(int funct3, int rs2, int rs1, int imm) { return sType(0x23, funct3, rs1, rs2, imm); }
  public Asm sd(int rs2, int rs1, int imm) { return store(3, rs2, rs1, imm); }
  public Asm sw(int rs2, int rs1, int imm) { return store(2, rs2, rs1, imm); }
  public Asm sb(int rs2, int rs1, int imm) { return store(0, rs2, rs1, imm); }

  /** AMO with funct5, width funct3 (2 = W, 3 = D), aq/rl bits. */
  public Asm amo(int funct5, int funct3, int rd, int rs1, int rs2) {
    return rType(0x2F, rd, funct3, rs1, rs2, funct5 << 2);
  }

  // ---- F and D (Unpriv 20, 21) ----
  public Asm flw(int fd, int rs1, int imm) { return iType(0x07, fd, 2, rs1, imm); }
  public Asm fld(int fd, int rs1, int imm) { return iType(0x07, fd, 3, rs1, imm); }
  public Asm fsw(int fs2, int rs1, int imm) { return sType(0x27, 2, rs1, fs2, imm); }
  public Asm fsd(int fs2, int rs1, int imm) { return sType(0x27, 3, rs1, fs2, imm); }
  /** OP-FP: funct5 (bits 31:27), fmt (0 = S, 1 = D), rm/funct3. */
  public Asm opFp(int funct5, int fmt, int rm, int rd, int rs1, int rs2) {
    return rType(0x53, rd, rm, rs1, rs2, funct5 << 2 | fmt);
  }
  /** R4-type: opcode 0x43 FMADD, 0x47 FMSUB, 0x4B FNMSUB, 0x4F FNMADD. */
  public Asm r4(int opcode, int fmt, int rm, int rd, int rs1, int rs2, int rs3) {
    return word(opcode | rd << 7 | rm << 12 | rs1 << 15 | rs2 << 20 | fmt << 25 | rs3 << 27);
  }
  /** fmv.w.x (fmt 0) / fmv.d.x (fmt 1). */
  public Asm fmvToF(int fmt, int fd, int rs1) { return opFp(0x1E, fmt, 0, fd, rs1, 0); }
  /** fmv.x.w (fmt 0) / fmv.x.d (fmt 1). */
  public Asm fmvToX(int fmt, int rd, int fs1) { return opFp(0x1C, fmt, 0, rd, fs1, 0); }
  /** Sets mstatus.FS to {@code fs} (0 Off, 1 Initial, 2 Clean, 3 Dirty). Clobbers t0. */
  public Asm setFs(int fs) {
    li(T0, 3L << 13);
    csrrc(ZERO, CsrAddress.MSTATUS, T0);
    li(T0, (long) fs << 13);
    return csrrs(ZERO, CsrAddress.MSTATUS, T0);
  }

  public Asm fence() { return word(0x0FF0000F); }
  public Asm fenceI() { return word(0x0000100F); }

  // ---- SYSTEM ----
  public Asm csr(int funct3, int rd, int csr, int rs1OrUimm) {
    return word(0x73 | rd << 7 | funct3 << 12 | rs1OrUimm << 15 | csr << 20);
  }
  public Asm csrrw(int rd, int csr, int rs1) { return csr(1, rd, csr, rs1); }
  public Asm csrrs(int rd, int csr, int rs1) { return csr(2, rd, csr, rs1); }
  public Asm csrrc(int rd, int csr, int rs1) { return csr(3, rd, csr, rs1); }
  public Asm csrrwi(int rd, int csr, int uimm) { return csr(5, rd, csr, uimm); }
  public Asm csrrci(int rd, int csr, int uimm) { return csr(7, rd, csr, uimm); }
  public Asm csrr(int rd, int csr) { return csrrs(rd, csr, ZERO); }
  public Asm csrs(int rd, int csr, int rs1) { return csrrs(rd, csr, rs1); }
  public Asm csrw(int csr, int rs1) { return csrrw(ZERO, csr, rs1); }

  public Asm ecall() { return word(0x00000073); }
  public Asm ebreak() { return word(0x00100073); }
  public Asm mret() { return word(0x30200073); }
  public Asm sret() { return word(0x10200073); }
  public Asm wfi() { return word(0x10500073); }
  public Asm sfenceVma(int rs1, int rs2) { return rType(0x73, 0, 0, rs1, rs2, 0x09); }

  /** Loads any 64-bit constant (lui/addiw, then shift-and-add 12 bits at a time). */
  public Asm li(int rd, long value) {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      int v = (int) value;
      int low = (v << 20) >> 20;
      int high = (v - low) >>> 12;
      if (high != 0) {
        lui(rd, high & 0xFFFFF);
        return addiw(rd, rd, low);
      }
      return addi(rd, ZERO, low);
    }
    long low = (value << 52) >> 52;
    li(rd, (value - low) >> 12);
    slli(rd, rd, 12);
    return low == 0 ? this : addi(rd, rd, (int) low);
  }

  /** Sets mepc to target, mstatus.MPP to priv, and executes MRET. Clobbers t0. */
  public Asm enterMode(int priv, long target) {
    li(T0, 3L << 11);
    csrrc(ZERO, CsrAddress.MSTATUS, T0);
    li(T0, (long) priv << 11);
    csrrs(ZERO, CsrAddress.MSTATUS, T0);
    li(T0, target);
    csrw(CsrAddress.MEPC, T0);
    return mret();
  }
}
