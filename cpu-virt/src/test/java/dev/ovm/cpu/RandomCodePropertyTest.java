package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.vmm.VcpuExit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guest code is guest-controlled input: whatever the instruction words and register values, the
 * hart must only retire instructions or raise RISC-V traps, and {@code run} must return one of
 * its documented exits; no Java exception may escape. Random words exercise every opcode,
 * reserved encodings, CSR numbers, privileged instructions (satp with garbage roots, MRET to U,
 * SFENCE), loads and stores anywhere in the 64-bit space, and compressed halfwords.
 */
class RandomCodePropertyTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void randomCodeOnlyTraps() {
    qt().withExamples(3_000)
        .forAll(lists().of(integers().all()).ofSizeBetween(1, 64), longs().all(), longs().all())
        .checkAssert((words, seedA, seedB) -> runRandom(words, seedA, seedB, false));
  }

  /** The F/D major opcodes: LOAD-FP, STORE-FP, MADD, MSUB, NMSUB, NMADD, OP-FP. */
  private static final int[] FP_OPCODES = {0x07, 0x27, 0x43, 0x47, 0x4B, 0x4F, 0x53};

  /**
   * The same with mstatus.FS on, the f registers loaded from the random x registers (half of
   * them as NaN-boxed singles), and every word forced to an F/D major opcode: all rounding
   * modes, formats, NaNs, subnormals and reserved fields reach {@link Fpu}.
   */
  @Test
  void randomFloatingPointCodeOnlyTraps() {
    qt().withExamples(2_000)
        .forAll(lists().of(integers().all()).ofSizeBetween(1, 64), longs().all(), longs().all())
        .checkAssert((words, seedA, seedB) -> {
          List<Integer> fpWords = new java.util.ArrayList<>();
          for (int reg = 1; reg < 32; reg++) {
            fpWords.add(0x53 | reg << 7 | reg << 15 | (reg & 1) << 25 | 0x1E << 27); // fmv.{w,d}.x
          }
          for (int word : words) {
            int opcode = FP_OPCODES[Math.floorMod(word >> 7, FP_OPCODES.length)];
            fpWords.add((word & ~0x7F) | opcode);
          }
          runRandom(fpWords, seedA, seedB, true);
        });
  }

  private static final long SKIP_HANDLER = HartFixture.HALT + 0x100;

  /** M trap handler: skip the trapping word (mepc += 4) and return, keeping all registers. */
  private void placeSkipHandler() {
    Asm h = new Asm(SKIP_HANDLER);
    h.csrrw(Asm.T4, CsrAddress.MSCRATCH, Asm.T4).csrr(Asm.T4, CsrAddress.MEPC)
        .addi(Asm.T4, Asm.T4, 4).csrw(CsrAddress.MEPC, Asm.T4)
        .csrrw(Asm.T4, CsrAddress.MSCRATCH, Asm.T4).mret();
    f.place(h);
  }

  private void runRandom(List<Integer> words, long seedA, long seedB, boolean floatingPoint) {
    placeSkipHandler();
    Asm code = new Asm(HartFixture.CODE);
    code.li(Asm.T0, SKIP_HANDLER).csrw(CsrAddress.MTVEC, Asm.T0);
    if (floatingPoint) {
      code.setFs(1);
    }
    long prefix = (code.here() - HartFixture.CODE) / 4;
    for (int word : words) {
      code.word(word);
    }
    f.place(code);
    f.hart.reset(HartFixture.CODE);
    f.hart.run(prefix); // the mtvec setup
    assertTrue(f.hart.csr(CsrAddress.MTVEC) == SKIP_HANDLER);
    for (int reg = 1; reg < 32; reg++) {
      // a mix of RAM addresses and arbitrary values, so that some accesses hit RAM
      long value = (reg & 1) == 0 ? HartFixture.DATA + ((seedA >>> reg) & 0xFF8) : seedB * reg;
      f.hart.setX(reg, value);
    }
    VcpuExit exit = f.hart.run(2_000);
    assertTrue(exit == VcpuExit.QUANTUM || exit == VcpuExit.WFI || exit instanceof VcpuExit.Fatal,
        String.valueOf(exit));
    if (floatingPoint) {
      assertTrue((f.hart.csr(CsrAddress.MSTATUS) & 3L << 13) == 3L << 13, "the FP code ran: Dirty");
    }
  }
}
