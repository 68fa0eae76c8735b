package dev.ovm.cpu;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ovm.vmm.VcpuExit;
import java.util.SplittableRandom;

/**
 * Jazzer fuzz test of the block translator against the interpreter: fuzzer-chosen code (any
 * bytes: 32-bit and compressed instructions, reserved encodings, CSR accesses, jumps into the
 * middle of instructions) runs in a loop in S-mode on an interpreting hart and on harts that
 * translate from the first and the second execution of a block, stepped in lockstep by
 * fuzzer-seeded step sizes from 1 up; after every step their guest-visible state must be equal
 * ({@link LockstepHarts}). Registers start as pointers into the data, read-only, unmapped and code
 * pages and as arbitrary values.
 *
 * <p>The code runs under Sv39 with its pages read-execute only and mstatus.TVM set ({@link
 * DifferentialGuest}), so whatever it does it cannot store to code: a translated block can never
 * be stale, and any difference is a translator bug.
 *
 * <p>A regression test over its seeds in {@code mvn test}; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class TranslationFuzzTest {
  private static final int MAX_CODE = 512;
  private static final long BUDGET = 20_000;

  @FuzzTest(maxDuration = "5m")
  void fuzzTranslatedCode(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    int iterations = data.consumeInt(1, 64);
    byte[] code = data.consumeBytes(MAX_CODE);
    SplittableRandom random = new SplittableRandom(seed);
    try (LockstepHarts harts = new LockstepHarts(1, 2)) {
      DifferentialGuest guest = new DifferentialGuest(harts, true, seed);
      Asm main = new Asm(DifferentialGuest.MAIN);
      main.li(Asm.S11, iterations);
      long loop = main.here();
      for (int i = 0; i + 1 < code.length; i += 2) {
        main.half((code[i] & 0xFF) | (code[i + 1] & 0xFF) << 8);
      }
      main.addi(Asm.S11, Asm.S11, -1);
      main.beq(Asm.S11, Asm.ZERO, 8);
      main.j(loop);
      main.j(DifferentialGuest.END);
      harts.place(guest.prologue(DifferentialGuest.MAIN));
      harts.place(main);
      harts.reset(DifferentialGuest.PROLOGUE);
      for (int reg = 1; reg < HartState.REGISTERS; reg++) {
        harts.setX(reg, startValue(random));
      }
      long start = harts.reference().retired();
      VcpuExit exit;
      do {
        exit = harts.step(random.nextInt(4) == 0 ? 1 + random.nextInt(2000) : 1 + random.nextInt(8));
      } while (exit == VcpuExit.QUANTUM && harts.reference().retired() - start < BUDGET);
    }
  }

  /** A pointer into a page the code can reach (valid, read-only, unmapped, code) or any value. */
  private static long startValue(SplittableRandom random) {
    long offset = random.nextInt(0x1000) & (random.nextBoolean() ? ~7 : ~0);
    return switch (random.nextInt(7)) {
      case 0, 1 -> DifferentialGuest.DATA + random.nextInt(3) * 0x1000L + offset;
      case 2 -> DifferentialGuest.VA_RW + offset;
      case 3 -> DifferentialGuest.VA_RO + offset;
      case 4 -> DifferentialGuest.MAIN + offset;
      case 5 -> random.nextInt(-64, 64);
      default -> random.nextLong();
    };
  }
}
