package dev.ovm.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Test code with labels, for generated programs: instructions are appended as operations, and
 * branches, jumps and calls name a label that may come later. {@link #assemble} lays the code out
 * twice (every operation has a fixed size), first to find the labels, then to encode the offsets.
 */
final class GuestCode {
  private sealed interface Op {}

  private record Word(int value) implements Op {}

  private record Half(int value) implements Op {}

  private record Label(int id) implements Op {}

  private record Branch(int funct3, int rs1, int rs2, int label) implements Op {}

  private record CompressedBranch(boolean notZero, int rs1, int label) implements Op {}

  private record Jal(int rd, int label) implements Op {}

  private record FarCall(boolean compressedJump, int temp, int label) implements Op {}

  private final List<Op> ops = new ArrayList<>();
  private int labels;

  /** A fresh label, placed later with {@link #label}. */
  int newLabel() {
    return labels++;
  }

  /** Places {@code label} at the next instruction. */
  void label(int label) {
    ops.add(new Label(label));
  }

  void word(int value) {
    ops.add(new Word(value));
  }

  /** A 16-bit (compressed) instruction. */
  void half(int value) {
    ops.add(new Half(value & 0xFFFF));
  }

  /** A conditional branch (Unpriv 2.5.2) with {@code funct3}, 4 bytes. */
  void branch(int funct3, int rs1, int rs2, int label) {
    ops.add(new Branch(funct3, rs1, rs2, label));
  }

  /** C.BEQZ or C.BNEZ (Unpriv 16.4), rs1 in x8..x15, within 256 bytes. */
  void compressedBranch(boolean notZero, int rs1, int label) {
    if (rs1 < 8 || rs1 > 15) {
      throw new IllegalArgumentException("C.BEQZ/C.BNEZ take x8..x15, not x" + rs1);
    }
    ops.add(new CompressedBranch(notZero, rs1, label));
  }

  void jal(int rd, int label) {
    ops.add(new Jal(rd, label));
  }

  /**
   * A call through a register: AUIPC temp and JALR ra (8 bytes), or AUIPC temp, ADDI temp and
   * C.JALR temp (10 bytes).
   */
  void farCall(boolean compressedJump, int temp, int label) {
    ops.add(new FarCall(compressedJump, temp, label));
  }

  /** The code, laid out from {@code origin}. */
  Asm assemble(long origin) {
    long[] at = new long[labels];
    emit(origin, at, false);
    return emit(origin, at, true);
  }

  private Asm emit(long origin, long[] at, boolean laidOut) {
    Asm a = new Asm(origin);
    for (Op op : ops) {
      switch (op) {
        case Word w -> a.word(w.value());
        case Half h -> a.half(h.value());
        case Label l -> at[l.id()] = a.here();
        case Branch b -> a.bType(b.funct3(), b.rs1(), b.rs2(),
            offset(at[b.label()] - a.here(), 4096, laidOut));
        case CompressedBranch c -> a.half(encodeCompressedBranch(c.notZero(), c.rs1(),
            offset(at[c.label()] - a.here(), 256, laidOut)));
        case Jal j -> a.jal(j.rd(), offset(at[j.label()] - a.here(), 1 << 20, laidOut));
        case FarCall f -> {
          int offset = (int) (at[f.label()] - a.here());
          int high = (offset + 0x800) >> 12;
          int low = offset - (high << 12);
          a.auipc(f.temp(), high & 0xFFFFF);
          if (f.compressedJump()) {
            a.addi(f.temp(), f.temp(), low);
            a.half(0x9002 | f.temp() << 7); // c.jalr temp
          } else {
            a.jalr(Asm.RA, f.temp(), low);
          }
        }
      }
    }
    return a;
  }

  /** {@code offset}, checked against the range of +-{@code reach} once the code is laid out. */
  private static int offset(long offset, int reach, boolean laidOut) {
    if (laidOut && (offset < -reach || offset >= reach)) {
      throw new IllegalStateException("a branch or jump offset out of range: " + offset);
    }
    return (int) offset;
  }

  /** CB format (Unpriv 16.5): offset[8|4:3] in 12:10, offset[7:6|2:1|5] in 6:2. */
  static int encodeCompressedBranch(boolean notZero, int rs1, int offset) {
    return (notZero ? 7 : 6) << 13 | ((offset >> 8) & 1) << 12 | ((offset >> 3) & 3) << 10
        | (rs1 - 8) << 7 | ((offset >> 6) & 3) << 5 | ((offset >> 1) & 3) << 3
        | ((offset >> 5) & 1) << 2 | 1;
  }
}
