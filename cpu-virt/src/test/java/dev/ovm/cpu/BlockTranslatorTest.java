package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The block translator's hard cases, each run on an interpreting hart and on translating ones in
 * lockstep ({@link LockstepHarts}) and checked against the values the spec gives: a trap in the
 * middle of a hot block, code rewritten and made visible with FENCE.I or a remote fence, blocks
 * that meet a page boundary, and reserved encodings of the opcodes blocks take. The exhaustive
 * legality checks of {@link BlockTranslator#kind} are in {@link BlockLegalityTest}.
 */
class BlockTranslatorTest {
  private static final long CODE = HartFixture.CODE;
  private static final long HALT = HartFixture.HALT;
  private static final long DATA = HartFixture.DATA;
  private static final long RAM_END = HartFixture.RAM_BASE + HartFixture.RAM_SIZE;
  /** Where the trap-recording handler puts minstret: the instructions retired before the trap. */
  private static final int RETIRED_AT_TRAP = T4;

  private final LockstepHarts harts = new LockstepHarts(1, 5);

  @AfterEach
  void close() {
    harts.close();
  }

  /**
   * A program start: mtvec = a handler that records minstret (the instructions retired before
   * the trap) in t4 and stops in the endless loop at HALT.
   */
  private Asm start() {
    harts.place(new Asm(HALT - 8).csrr(RETIRED_AT_TRAP, CsrAddress.MINSTRET).j(HALT));
    Asm a = new Asm(CODE);
    a.li(T0, HALT - 8).csrw(CsrAddress.MTVEC, T0);
    return a;
  }

  /** Runs until every hart sits in the endless loop at HALT, comparing after each step. */
  private void runToHalt(long stepSize) {
    harts.reset(CODE);
    long start = harts.reference().retired();
    while (harts.reference().pc() != HALT) {
      harts.step(stepSize);
      assertTrue(harts.reference().retired() - start < 5_000_000, "the program ends");
    }
  }

  // ---- the threshold ----

  /**
   * A block start is translated on its threshold-th execution (threshold 1: the first), and the
   * block then runs every time: a 3-instruction loop body reached 5 times retires
   * 3 × (5 - threshold + 1) instructions in its block; the one-instruction block before it counts
   * only for threshold 1.
   */
  @Test
  void blockIsTranslatedOnItsThresholdthExecution() {
    int reaches = 5;
    try (LockstepHarts thresholds = new LockstepHarts(1, 2, 3, 4, 5, 6)) {
      Asm a = new Asm(CODE);
      a.addi(S11, ZERO, reaches); // a block of its own, reached once
      a.fence(); // ends it: the loop's start is a block start from the first iteration on
      long loop = a.here();
      a.addi(A0, A0, 1).addi(S11, S11, -1).bne(S11, ZERO, (int) (loop - a.here()));
      a.fence();
      a.wfi();
      thresholds.place(a);
      thresholds.reset(CODE);
      assertEquals(VcpuExit.WFI, thresholds.step(1_000));
      for (int i = 1; i < thresholds.size(); i++) {
        int threshold = thresholds.threshold(i);
        TranslationStatistics statistics = thresholds.statistics(i);
        int loopRuns = Math.max(0, reaches - threshold + 1);
        assertEquals((threshold == 1 ? 1 : 0) + (loopRuns > 0 ? 1 : 0), statistics.blocks(),
            "threshold " + threshold + ": blocks translated");
        assertEquals((threshold == 1 ? 1 : 0) + 3L * loopRuns, statistics.instructions(),
            "threshold " + threshold + ": instructions in blocks");
      }
    }
  }

  // ---- (a) a trap in the middle of a hot block ----

  private static final int ITERATIONS = 100;

  /**
   * A 12-instruction loop body (compressed and 32-bit instructions mixed, so that pc offsets are
   * not 4k) whose access at {@code index} 6 walks up through RAM 8 bytes an iteration and faults
   * past its end on iteration {@link #ITERATIONS} + 1, long after the block is translated.
   */
  private void trapInHotBlock(boolean store, boolean compressed) {
    harts.watch(RAM_END - 0x1000, 0x1000);
    for (int i = 0; i < ITERATIONS; i++) {
      harts.store64(RAM_END - 8L * (ITERATIONS - i), 1000 + i);
    }
    Asm a = start();
    a.li(S1, RAM_END - 8L * ITERATIONS).li(A5, 0).li(A4, -7);
    a.csrr(S2, CsrAddress.MINSTRET);
    long loop = a.here();
    a.half(0x0505); // 0: c.addi a0, 1
    a.addi(A1, A1, 2); // 1
    a.half(0x862A); // 2: c.mv a2, a0
    a.slli(A2, A2, 3); // 3
    a.op(0, 4, A3, A3, A2); // 4: xor a3, a3, a2
    a.addi(A6, A0, 100); // 5
    long access = a.here();
    if (store) {
      if (compressed) {
        a.half(0xE084); // 6: c.sd s1, 0(s1)
      } else {
        a.sd(S1, S1, 0); // 6
      }
    } else if (compressed) {
      a.half(0x6098); // 6: c.ld a4, 0(s1)
    } else {
      a.ld(A4, S1, 0); // 6
    }
    a.add(A5, A5, A4); // 7
    a.half(0x0785); // 8: c.addi a5, 1
    a.addi(A7, A7, 3); // 9
    a.addi(S1, S1, 8); // 10
    a.j(loop); // 11
    harts.place(a);
    assertEquals(RandomProgram.iType(Opcode.LOAD, A4, 3, S1, 0), Rvc.expand(0x6098), "c.ld");
    assertEquals(RandomProgram.rType(Opcode.STORE, 0, 3, S1, S1, 0), Rvc.expand(0xE084), "c.sd");

    runToHalt(1_000_000);

    for (int i = 0; i < harts.size(); i++) {
      Hart hart = harts.hart(i);
      String who = "threshold " + harts.threshold(i);
      assertEquals(store ? Cause.STORE_ACCESS_FAULT : Cause.LOAD_ACCESS_FAULT,
          hart.csr(CsrAddress.MCAUSE), who);
      assertEquals(access, hart.csr(CsrAddress.MEPC), who + ": mepc names the access");
      assertEquals(RAM_END, hart.csr(CsrAddress.MTVAL), who);
      long n = ITERATIONS + 1;
      assertEquals(n, hart.x(A0), who + ": the instructions before it ran");
      assertEquals(2 * n, hart.x(A1), who);
      assertEquals(8 * n, hart.x(A2), who);
      assertEquals(n + 100, hart.x(A6), who);
      assertEquals(store ? -7 : 1000 + ITERATIONS - 1, hart.x(A4), who + ": the load's rd");
      long loaded = store ? -7L * ITERATIONS : (1000 + 1000 + ITERATIONS - 1) * ITERATIONS / 2;
      assertEquals(loaded + ITERATIONS, hart.x(A5), who + ": the instructions after it did not");
      assertEquals(3 * ITERATIONS, hart.x(A7), who);
      assertEquals(RAM_END, hart.x(S1), who);
      assertEquals(1 + 12L * ITERATIONS + 6, hart.x(RETIRED_AT_TRAP) - hart.x(S2),
          who + ": instructions retired before the trap");
    }
    for (int i = 1; i < harts.size(); i++) {
      assertTrue(harts.statistics(i).instructions() >= 12L * (ITERATIONS - harts.threshold(i)),
          "the loop ran translated: " + harts.statistics(i));
    }
  }

  @Test
  void loadFaultInHotBlock() {
    trapInHotBlock(false, false);
  }

  @Test
  void compressedLoadFaultInHotBlock() {
    trapInHotBlock(false, true);
  }

  @Test
  void storeFaultInHotBlock() {
    trapInHotBlock(true, false);
  }

  @Test
  void compressedStoreFaultInHotBlock() {
    trapInHotBlock(true, true);
  }

  // ---- (b) code rewritten, made visible by FENCE.I or a remote fence ----

  private static final long FUNCTION = CODE + 0x800;
  private static final int CALLS = 200;

  /** Calls FUNCTION (which sets a0) CALLS times in a hot loop, adding a0 into {@code sum}. */
  private static void callLoop(Asm a, int sum) {
    a.li(S11, CALLS);
    long loop = a.here();
    a.jal(RA, (int) (FUNCTION - a.here()));
    a.add(sum, sum, A0);
    a.addi(S11, S11, -1);
    a.bne(S11, ZERO, (int) (loop - a.here()));
  }

  private void rewriteWithFenceI(int newInstruction) {
    Asm a = start();
    callLoop(a, S2);
    a.li(T0, newInstruction).li(T1, FUNCTION).sw(T0, T1, 0);
    a.fenceI();
    callLoop(a, S3);
    a.j(HALT);
    harts.place(a);
    harts.place(new Asm(FUNCTION).addi(A0, ZERO, 1).jalr(ZERO, RA, 0));
    runToHalt(1_000_000);
  }

  @Test
  void codeChangedBeforeFenceIRunsNewCode() {
    rewriteWithFenceI(RandomProgram.iType(Opcode.OP_IMM, A0, 0, ZERO, 2)); // li a0, 2
    for (int i = 0; i < harts.size(); i++) {
      assertEquals(CALLS, harts.hart(i).x(S2), "the old function");
      assertEquals(2 * CALLS, harts.hart(i).x(S3), "the new function after FENCE.I");
    }
    for (int i = 1; i < harts.size(); i++) {
      TranslationStatistics statistics = harts.statistics(i);
      assertTrue(statistics.dropped() >= 1, "the stale block was dropped: " + statistics);
    }
  }

  @Test
  void codeRewrittenUnchangedIsRevalidated() {
    rewriteWithFenceI(RandomProgram.iType(Opcode.OP_IMM, A0, 0, ZERO, 1)); // the same li a0, 1
    for (int i = 0; i < harts.size(); i++) {
      assertEquals(CALLS, harts.hart(i).x(S2));
      assertEquals(CALLS, harts.hart(i).x(S3));
    }
    for (int i = 1; i < harts.size(); i++) {
      TranslationStatistics statistics = harts.statistics(i);
      assertTrue(statistics.revalidated() >= 1, "blocks kept after FENCE.I: " + statistics);
      assertEquals(0, statistics.dropped(), "nothing dropped: " + statistics);
    }
  }

  /**
   * A hot loop rewrites the instruction right after its FENCE.I on every iteration (alternately
   * adding 1 and 2 to a0): each iteration must run the code it just wrote.
   */
  @Test
  void codeRewrittenOnEveryIterationRunsTheLatestCode() {
    int addOne = RandomProgram.iType(Opcode.OP_IMM, A0, 0, A0, 1);
    int addTwo = RandomProgram.iType(Opcode.OP_IMM, A0, 0, A0, 2);
    Asm a = start();
    a.li(S11, CALLS).li(T1, addOne).li(T2, addOne ^ addTwo);
    long loop = a.here();
    a.auipc(T0, 0); // t0 = loop
    a.sw(T1, T0, 12);
    a.fenceI();
    assertEquals(loop + 12, a.here(), "layout");
    a.word(addTwo); // rewritten before it first runs: add 1, then 2, then 1, ...
    a.op(0, 4, T1, T1, T2); // xor t1, t1, t2: the other one next time
    a.addi(A1, A1, 1);
    a.addi(S11, S11, -1);
    a.bne(S11, ZERO, (int) (loop - a.here()));
    a.j(HALT);
    harts.place(a);
    runToHalt(1_000_000);
    for (int i = 0; i < harts.size(); i++) {
      assertEquals(CALLS * 3 / 2, harts.hart(i).x(A0), "1 + 2 + 1 + ...");
      assertEquals(CALLS, harts.hart(i).x(A1));
    }
    for (int i = 1; i < harts.size(); i++) {
      // a block made from one version is dropped when it meets the other
      assertTrue(harts.statistics(i).dropped() >= CALLS / (harts.threshold(i) + 1) - 1,
          "blocks dropped: " + harts.statistics(i));
    }
  }

  /** The VMM rewrites a hot function and asks for a flush (a remote FENCE.I, SBI RFENCE). */
  @Test
  void remoteFenceMakesRewrittenCodeVisible() {
    Asm a = start();
    long loop = a.here();
    a.jal(RA, (int) (FUNCTION - a.here()));
    a.add(S2, S2, A0);
    a.j(loop);
    harts.place(a);
    harts.place(new Asm(FUNCTION).addi(A0, ZERO, 1).jalr(ZERO, RA, 0));
    harts.reset(CODE);
    for (int i = 0; i < 10; i++) {
      harts.step(997);
    }
    assertEquals(1, harts.reference().x(A0));
    harts.place(new Asm(FUNCTION).addi(A0, ZERO, 5));
    for (int i = 0; i < harts.size(); i++) {
      harts.hart(i).requestTlbFlush();
    }
    harts.step(1000);
    for (int i = 0; i < harts.size(); i++) {
      assertEquals(5, harts.hart(i).x(A0), "the new function after the flush");
    }
    for (int i = 1; i < harts.size(); i++) {
      assertTrue(harts.statistics(i).dropped() >= 1, "dropped: " + harts.statistics(i));
    }
  }

  // ---- (c) page boundaries ----

  /**
   * A hot loop whose 4-byte instruction straddles a page boundary: the block before it must end
   * there and the instruction still run (fetched from two pages); the block after it starts on
   * the next page. Run with small steps, so that chunk ends fall everywhere in the loop.
   */
  @Test
  void instructionStraddlingPageBoundaryInHotLoop() {
    long boundary = CODE + 0x2000;
    Asm prologue = start();
    prologue.li(S11, 300);
    prologue.j(boundary - 6);
    harts.place(prologue);
    Asm loop = new Asm(boundary - 6);
    loop.half(0x0685); // boundary - 6: c.addi a3, 1
    loop.half(0x0705); // boundary - 4: c.addi a4, 1
    loop.addi(A0, A0, 1); // boundary - 2: straddles
    loop.addi(A1, A1, 3).addi(S11, S11, -1);
    loop.bne(S11, ZERO, (int) (boundary - 6 - loop.here()));
    loop.j(boundary + 0xFFA); // to another straddling instruction, at the next boundary
    harts.place(loop);
    Asm straddle = new Asm(boundary + 0xFFA);
    straddle.addi(A2, A2, 7); // boundary + 0xFFA
    straddle.addi(A5, A5, 9); // boundary + 0xFFE: straddles into the third page
    straddle.j(HALT);
    harts.place(straddle);
    for (long step : new long[] {1, 3, 7, 1000}) {
      runToHalt(step);
      for (int i = 0; i < harts.size(); i++) {
        Hart hart = harts.hart(i);
        assertEquals(300, hart.x(A0));
        assertEquals(900, hart.x(A1));
        assertEquals(7, hart.x(A2));
        assertEquals(9, hart.x(A5));
        assertEquals(300, hart.x(A3));
        assertEquals(300, hart.x(A4));
      }
    }
  }

  /**
   * Under Sv39 the page after a block is not mapped: the block ends at the page, and the
   * instruction straddling into the next page raises an instruction page fault at its own address
   * (mepc), with the other page's address in mtval (Priv 3.1.16).
   */
  @Test
  void straddlingIntoUnmappedPageFaults() {
    DifferentialGuest guest = new DifferentialGuest(harts, true, 1);
    long lastCodePage = DifferentialGuest.END; // the page after it is not mapped
    long straddler = lastCodePage + 0xFFE;
    Asm main = new Asm(DifferentialGuest.MAIN);
    main.li(S11, 50);
    long loop = main.here();
    main.addi(A0, A0, 1).addi(S11, S11, -1).bne(S11, ZERO, (int) (loop - main.here()));
    main.j(straddler - 10);
    harts.place(main);
    Asm tail = new Asm(straddler - 10);
    tail.addi(A1, A1, 1).addi(A2, A2, 2).half(0x0685); // c.addi a3, 1
    tail.addi(A4, A4, 4); // straddles
    harts.place(tail);
    harts.place(guest.prologue(DifferentialGuest.MAIN));
    harts.place(new Asm(DifferentialGuest.HANDLER).halt()); // stop at the first trap
    harts.reset(DifferentialGuest.PROLOGUE);
    harts.runUntil(DifferentialGuest.HANDLER, 1_000, 1_000_000);
    for (int i = 0; i < harts.size(); i++) {
      Hart hart = harts.hart(i);
      assertEquals(Cause.INSTRUCTION_PAGE_FAULT, hart.csr(CsrAddress.MCAUSE));
      assertEquals(straddler, hart.csr(CsrAddress.MEPC));
      assertEquals(straddler + 2, hart.csr(CsrAddress.MTVAL));
      assertEquals(50, hart.x(A0));
      assertEquals(1, hart.x(A1));
      assertEquals(2, hart.x(A2));
      assertEquals(1, hart.x(A3));
      assertEquals(0, hart.x(A4));
    }
  }

  // ---- (d) reserved encodings in hot loops ----

  /**
   * Every reserved funct3/funct7 combination of the opcodes blocks take, in a loop that runs
   * six times: each raises illegal instruction with the instruction as mtval, translated or not.
   * The handler counts the traps, folds mtval and mepc into a checksum and skips the word; each
   * word follows an ADDI, so a block starts right before it.
   */
  @Test
  void reservedEncodingsRaiseIllegalInstructionInHotLoops() {
    int[] reserved = BlockLegalityTest.combinations(false);
    assertTrue(reserved.length > 2000, "reserved combinations: " + reserved.length);
    int perProgram = 1200;
    for (int from = 0; from < reserved.length; from += perProgram) {
      int to = Math.min(reserved.length, from + perProgram);
      runReserved(java.util.Arrays.copyOfRange(reserved, from, to));
    }
  }

  private static final int TRAPS = T3;
  private static final int CHECKSUM = S4;
  private static final int OTHER_CAUSES = S5;
  private static final long COUNTING_HANDLER = HALT + 0x100;

  private void runReserved(int[] words) {
    int t5 = 30;
    int t6 = 31;
    Asm handler = new Asm(COUNTING_HANDLER);
    handler.addi(TRAPS, TRAPS, 1);
    handler.csrr(t5, CsrAddress.MTVAL).slli(t6, CHECKSUM, 5).sub(CHECKSUM, t6, CHECKSUM);
    handler.add(CHECKSUM, CHECKSUM, t5); // checksum = 31 * checksum + mtval
    handler.csrr(t6, CsrAddress.MEPC).add(CHECKSUM, CHECKSUM, t6); // + mepc
    handler.csrr(t5, CsrAddress.MCAUSE).addi(t5, t5, -Cause.ILLEGAL_INSTRUCTION);
    handler.op(0, 6, OTHER_CAUSES, OTHER_CAUSES, t5); // or: stays 0 while every cause is 2
    handler.addi(t6, t6, 4).csrw(CsrAddress.MEPC, t6).mret();
    harts.place(handler);
    Asm a = new Asm(CODE);
    a.li(T0, COUNTING_HANDLER).csrw(CsrAddress.MTVEC, T0);
    int iterations = 6; // more than the highest threshold
    a.li(S11, iterations);
    long loop = a.here();
    long expected = 0;
    long[] pcs = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      a.addi(A0, A0, 1);
      pcs[i] = a.here();
      a.word(words[i]);
    }
    a.addi(S11, S11, -1);
    a.beq(S11, ZERO, 8); // the loop is too long for bne
    a.j(loop);
    a.j(HALT);
    assertTrue(a.here() < HALT - 8, "the program fits");
    harts.place(a);
    for (int round = 0; round < iterations; round++) {
      for (int i = 0; i < words.length; i++) {
        expected = 31 * expected + (words[i] & 0xFFFF_FFFFL) + pcs[i];
      }
    }
    runToHalt(100_000);
    for (int i = 0; i < harts.size(); i++) {
      Hart hart = harts.hart(i);
      String who = "threshold " + harts.threshold(i);
      assertEquals((long) iterations * words.length, hart.x(TRAPS), who + ": every word trapped");
      assertEquals(0, hart.x(OTHER_CAUSES), who + ": all illegal instruction");
      assertEquals(expected, hart.x(CHECKSUM), who + ": mtval and mepc of every trap");
      assertEquals((long) iterations * words.length, hart.x(A0), who);
    }
    for (int i = 1; i < harts.size(); i++) {
      assertTrue(harts.statistics(i).blocks() >= words.length, "blocks: " + harts.statistics(i));
    }
  }

  @Test
  void chunkEndsNeverSplitABlock() {
    // a 64-instruction block in a loop, stepped 1..70 instructions at a time: retired() after each
    // run(k) must be exactly k more, with or without translation (LockstepHarts compares)
    Asm a = start();
    long loop = a.here();
    for (int i = 0; i < BlockTranslator.MAX_INSTRUCTIONS - 1; i++) {
      a.addi(A0 + i % 6, A0 + i % 6, i);
    }
    a.j(loop);
    harts.place(a);
    harts.reset(CODE);
    for (int k = 1; k <= 70; k++) {
      long before = harts.reference().retired();
      assertEquals(VcpuExit.QUANTUM, harts.step(k));
      assertEquals(before + k, harts.reference().retired());
    }
    for (int round = 0; round < 20; round++) {
      harts.step(64 * 3);
    }
    for (int i = 1; i < harts.size(); i++) {
      assertTrue(harts.statistics(i).instructions() > 64 * 30, "translated: " + harts.statistics(i));
    }
  }
}
