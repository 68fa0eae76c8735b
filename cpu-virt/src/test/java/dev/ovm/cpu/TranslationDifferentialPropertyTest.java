package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.vmm.VcpuExit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Block translation must not change what a guest sees, instruction for instruction: random
 * programs ({@link RandomProgram}) run on a hart that interprets everything, one that translates
 * every block the first time it is reached (threshold 1) and one that translates blocks mid-run
 * (threshold 3), in lockstep with {@code run(k)} for k from 1 up to thousands (so that blocks meet
 * chunk ends at every distance), comparing registers, pc, retired count, trap and counter CSRs and
 * the data, RAM-end and page-table memory after every step ({@link LockstepHarts}). Half the
 * programs run in M-mode without translation, half in S-mode under Sv39, where some base registers
 * point at read-only, unmapped and non-canonical addresses ({@link DifferentialGuest}).
 *
 * <p>Over all programs, the translating harts must have run a large share of the instructions in
 * translated blocks, so that the comparison is about translated code.
 */
class TranslationDifferentialPropertyTest {
  /** Instructions one program may retire. */
  private static final long BUDGET = 30_000;

  private final LockstepHarts harts = new LockstepHarts(1, 3);
  private final long[] retired = new long[3];
  private final long[] inBlocks = new long[3];
  private final long[] blocks = new long[3];

  @AfterEach
  void close() {
    harts.close();
  }

  @Test
  void translatedProgramsMatchTheInterpreter() {
    qt().withExamples(1000)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 40),
            lists().of(longs().all()).ofSizeBetween(0, 12), longs().all())
        .checkAssert(this::runInLockstep);
    for (int i = 1; i < harts.size(); i++) {
      double share = (double) inBlocks[i] / retired[i];
      String who = "threshold " + harts.threshold(i) + ": " + inBlocks[i] + " of " + retired[i]
          + " instructions in " + blocks[i] + " translated blocks";
      assertTrue(blocks[i] >= 150, who);
      assertTrue(share > 0.5, who);
    }
  }

  private void runInLockstep(List<Long> body, List<Long> functionItems, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    DifferentialGuest guest = new DifferentialGuest(harts, random.nextBoolean(), random.nextLong());
    // mostly near the end of MAIN's first page, so that loops cross into the next page
    long entry = DifferentialGuest.MAIN + 0x1000
        - 2L * (random.nextBoolean() ? random.nextInt(64) : random.nextInt(0x800));
    RandomProgram program = new RandomProgram(body, functionItems, 1 + random.nextInt(40));
    Asm code = program.assemble(entry);
    assertTrue(code.here() <= DifferentialGuest.MAIN_END, "the program fits");
    harts.place(guest.prologue(entry));
    harts.place(code);
    harts.reset(DifferentialGuest.PROLOGUE);
    RandomProgram.setRegisters(harts, random);
    long start = harts.reference().retired(); // retired() counts across resets
    VcpuExit exit;
    do {
      exit = harts.step(stepSize(random));
    } while (exit != VcpuExit.WFI && harts.reference().retired() - start < BUDGET);
    for (int i = 1; i < harts.size(); i++) {
      TranslationStatistics statistics = harts.statistics(i);
      retired[i] += harts.hart(i).retired() - start;
      inBlocks[i] += statistics.instructions();
      blocks[i] += statistics.blocks();
    }
  }

  /** Instructions for the next step: often 1–7, to hit chunk ends, sometimes thousands. */
  private static long stepSize(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> 1 + random.nextInt(7);
      case 4, 5, 6 -> 8 + random.nextInt(120);
      case 7, 8 -> 128 + random.nextInt(1000);
      default -> 1000 + random.nextInt(8000);
    };
  }
}
