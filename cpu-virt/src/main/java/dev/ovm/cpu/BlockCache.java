package dev.ovm.cpu;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.mmu.Pte;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One hart's translated blocks, keyed by the machine offset of their first instruction, with an
 * execution count for every block start not yet translated: a start is translated when it is
 * reached for the {@code threshold}-th time, so code that runs fewer times is never translated.
 *
 * <p>Direct-mapped: a start whose slot another start takes loses its count or its block (which the
 * garbage collector then unloads). Keys are machine offsets, so a block serves every virtual
 * mapping of its code and survives SFENCE.VMA and address-space switches.
 *
 * <p>Coherence with stores to code is the architecture's (Unpriv 2.7, Zifencei): a hart need not
 * see its own or other harts' stores to instruction memory until it executes FENCE.I (remote:
 * SBI {@code remote_fence_i}). Each FENCE.I starts a new epoch; a block from an earlier epoch is
 * used again only after its instruction parcels are found unchanged in memory, so a FENCE.I costs
 * one comparison per block that runs afterwards, not a retranslation. A start found untranslatable
 * ({@link TranslatedBlock#NONE}, e.g. a CSR access) is not looked at again after a FENCE.I: if new
 * code replaces it there, that start stays interpreted (correct, only slower) until its slot is
 * taken or the cache cleared. When machine frames change hands (P2M shootdown, VM reset) {@link
 * #clear} drops everything.
 *
 * <p>Used only on the hart's own thread.
 */
final class BlockCache {
  private static final int SLOTS = 1 << 16;
  private static final long NO_KEY = -1;
  private static final long PAGE_MASK = Pte.PAGE_SIZE - 1;

  private final long[] keys = new long[SLOTS];
  private final int[] counts = new int[SLOTS];
  private final @Nullable TranslatedBlock[] blocks = new TranslatedBlock[SLOTS];
  private final GuestRam ram;
  private final BlockTranslator translator;
  private final int threshold;
  private long epoch;
  private long revalidated;
  private long dropped;
  /** Instructions retired inside translated blocks (the dispatcher adds to it). */
  long blockInstructions;
  private long translateNanos;

  /**
   * @param ram the VM's memory, which the machine offsets index
   * @param threshold the execution of a block start that translates it (1: the first); at least 1
   */
  BlockCache(GuestRam ram, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("translation threshold must be at least 1: " + threshold);
    }
    this.ram = ram;
    this.translator = new BlockTranslator(ram);
    this.threshold = threshold;
    Arrays.fill(keys, NO_KEY);
  }

  /**
   * The block starting at machine offset {@code offset} (virtual address {@code pc}), translating
   * it if this execution makes it hot; null while it is not (yet) translated. May return {@link
   * TranslatedBlock#NONE} for a start whose first instruction blocks do not take.
   */
  @SuppressWarnings("index") // slot() masks to SLOTS - 1, the arrays' last index
  @Nullable TranslatedBlock find(long offset, long pc) {
    int slot = slot(offset);
    if (keys[slot] != offset) { // a new start: this is its first execution, which counts
      keys[slot] = offset;
      blocks[slot] = null;
      counts[slot] = 0;
    }
    TranslatedBlock block = blocks[slot];
    if (block != null) {
      if (block.epoch == epoch || block == TranslatedBlock.NONE) {
        return block;
      }
      if (block.matches(ram)) { // a FENCE.I since it was last used: is its code still there?
        block.epoch = epoch;
        revalidated++;
        return block;
      }
      blocks[slot] = null;
      counts[slot] = 0;
      dropped++;
    }
    if (++counts[slot] < threshold) {
      return null;
    }
    long started = System.nanoTime();
    block = translator.translate(offset, (int) (Pte.PAGE_SIZE - (pc & PAGE_MASK)));
    translateNanos += System.nanoTime() - started;
    if (block != TranslatedBlock.NONE) {
      block.epoch = epoch;
    }
    blocks[slot] = block;
    return block;
  }

  /** FENCE.I (local or remote): blocks must show that their code is unchanged before next use. */
  void fenceInstructions() {
    epoch++;
  }

  /** Drops every block and count (the machine frames behind the offsets may have changed hands). */
  void clear() {
    Arrays.fill(keys, NO_KEY);
    Arrays.fill(blocks, null);
    epoch++;
  }

  /** What translation has done on this hart so far. */
  TranslationStatistics statistics() {
    return new TranslationStatistics(translator.translated(), revalidated, dropped,
        blockInstructions, translateNanos);
  }

  private static int slot(long offset) {
    return (int) ((offset >> 1) ^ (offset >> 15)) & (SLOTS - 1); // offsets are >= 0
  }
}
