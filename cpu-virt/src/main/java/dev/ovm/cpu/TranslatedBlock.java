package dev.ovm.cpu;

import dev.ovm.memory.GuestRam;

/**
 * A translated block and what the run loop needs to use it: where its code lies in machine memory,
 * how many instructions it retires at most, the pc offset of each instruction (to name the one that traps),
 * and a copy of its instruction parcels so that, after a FENCE.I, it can check that the code it was
 * made from is still there.
 */
final class TranslatedBlock {
  /** Stands for "this address starts no translatable block": never fits a chunk. */
  static final TranslatedBlock NONE =
      new TranslatedBlock((s, x, memory, pc) -> pc, -1, Integer.MAX_VALUE, new short[0], new short[0]);

  final CompiledBlock code;
  /** Machine offset of the first instruction. */
  final long offset;
  /** Instructions the block retires when it runs to its end (a side exit retires fewer). */
  final int instructions;
  /** {@code pcOffsets[k]}: byte offset of instruction k from the block's first instruction. */
  private final short[] pcOffsets;
  /** The 16-bit parcels the block was translated from, in address order. */
  private final short[] parcels;
  /** The FENCE.I epoch of the hart's cache in which the parcels were last seen in memory. */
  long epoch;

  TranslatedBlock(CompiledBlock code, long offset, int instructions, short[] pcOffsets,
      short[] parcels) {
    this.code = code;
    this.offset = offset;
    this.instructions = instructions;
    this.pcOffsets = pcOffsets;
    this.parcels = parcels;
  }

  /** Byte offset from the block's start of instruction {@code step} (0-based). */
  @SuppressWarnings("index") // step is a blockStep the block's own code stored: < instructions
  long pcOffset(int step) {
    return pcOffsets[step];
  }

  /** True if memory at {@link #offset} still holds the parcels the block was made from. */
  boolean matches(GuestRam ram) {
    for (int i = 0; i < parcels.length; i++) {
      if (ram.load16(offset + 2L * i) != parcels[i]) {
        return false;
      }
    }
    return true;
  }
}
