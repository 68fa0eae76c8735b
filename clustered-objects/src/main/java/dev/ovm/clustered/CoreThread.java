package dev.ovm.clustered;

/**
 * A host platform thread that stands for one physical CPU of the VMM. Its {@link #coreIndex()} is
 * fixed at construction and is what {@link Cores#currentIndex()} returns while it runs, so finding
 * the current physical CPU costs a type check and a field read: no lock, no hash, no thread-local.
 *
 * <p>Several threads may carry the same index (for example two VMMs in one test JVM, or a benchmark
 * with more threads than slots); clustered objects stay correct then, only the representative is
 * shared (see {@link ClusteredObject}).
 */
public class CoreThread extends Thread {
  private final int coreIndex;

  /**
   * Creates (but does not start) the thread of physical CPU {@code coreIndex}.
   *
   * @param coreIndex the physical CPU this thread stands for, at least 0
   * @param body what the thread runs (typically the physical CPU's scheduling loop)
   * @param name the thread's name
   * @throws IllegalArgumentException if {@code coreIndex} is negative
   */
  public CoreThread(int coreIndex, Runnable body, String name) {
    super(body, name);
    if (coreIndex < 0) {
      throw new IllegalArgumentException("core index must be >= 0: " + coreIndex);
    }
    this.coreIndex = coreIndex;
  }

  /**
   * Returns the physical CPU this thread stands for.
   *
   * @return the core index given at construction, at least 0
   */
  public final int coreIndex() {
    return coreIndex;
  }
}
