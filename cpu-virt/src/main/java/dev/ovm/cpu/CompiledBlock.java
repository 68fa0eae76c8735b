package dev.ovm.cpu;

/**
 * The JVM code of one translated guest block ({@link BlockTranslator}): a straight run of integer
 * instructions, possibly ended by a branch or jump, all on one page. Implemented only by hidden
 * classes the translator defines.
 */
interface CompiledBlock {
  /**
   * Executes the block's instructions as if interpreted from {@code pc} and returns the next pc.
   * Before each instruction that may raise an exception (loads and stores) it records the
   * instruction's index in {@link HartState#blockStep}; if that instruction raises, the
   * {@link TrapSignal} propagates with the registers of the instructions before it written and
   * its own destination untouched.
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
