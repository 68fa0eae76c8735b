package dev.ovm.cpu;

/**
 * What a hart's block translator has done ({@link Hart#translationStatistics}).
 *
 * @param blocks blocks translated to JVM code
 * @param revalidated times a block was found unchanged after a FENCE.I and kept
 * @param dropped blocks dropped because their code had changed by a FENCE.I
 * @param instructions guest instructions retired inside translated blocks
 * @param translationNanos host time spent translating (generating and defining classes)
 */
public record TranslationStatistics(
    long blocks, long revalidated, long dropped, long instructions, long translationNanos) {

  /** The sum of these and {@code other} (e.g. over a VM's harts). */
  public TranslationStatistics plus(TranslationStatistics other) {
    return new TranslationStatistics(blocks + other.blocks, revalidated + other.revalidated,
        dropped + other.dropped, instructions + other.instructions,
        translationNanos + other.translationNanos);
  }
}
