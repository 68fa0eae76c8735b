package dev.ovm.cpu;

/**
 * The JVM code of one translated guest block ({@link BlockTranslator}): a run of integer
 * instructions in address order, all on one page, whose conditional branches are side exits and
 * which may end with a jump. Implemented only by hidden classes the translator defines.
 */
interface CompiledBlock {
  /**
   * Executes the block's instructions as if interpreted from {@code pc} and returns the next pc;
   * {@link HartState#blockStep} then holds how many instructions retired (fewer than the block has
   * when a branch left it early). Before each instruction that may raise an exception (loads and
   * stores) it records the instruction's index in {@link HartState#blockStep}; if that
   * instruction raises, the {@link TrapSignal} propagates with the registers of the instructions
   * before it written and its own destination untouched.
   *
   * @param s the hart's state (for {@link HartState#blockStep})
   * @param x the integer registers, {@code s.x}
   * @param memory the hart's loads and stores
   * @param pc the virtual address of the block's first instruction
   * @return the pc of the instruction after the block (a branch or jump target, or the next
   *     instruction in sequence)
   */
  long run(HartState s, long[] x, MemoryAccess memory, long pc);
}
