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
        .checkAssert((words, seedA, seedB) -> runRandom(words, seedA, seedB));
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

  private void runRandom(List<Integer> words, long seedA, long seedB) {
    placeSkipHandler();
    Asm code = new Asm(HartFixture.CODE);
    code.li(Asm.T0, SKIP_HANDLER).csrw(CsrAddress.MTVEC, Asm.T0);
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
  }
}
