package dev.ovm.clustered;

/**
 * A host platform thread that stands for one physical CPU of the VMM. Its {@link #coreIndex()} is
 * fixed at construction and is what {@link Cores#currentIndex()} returns while it runs, so finding
 * the current physical CPU costs a type check and a field read: no lock, no hash, no thread-local.
 *
 * <p>Two numbers name the CPU. The {@link #coreIndex() core index} counts within the CPU's pool and
 * indexes the pool's clustered objects (its statistics counters); the {@link #vmmIndex() VMM
 * index} counts over every physical CPU of the VMM and indexes the VMM-wide clustered objects (the
 * machine frame allocator), read with {@link Cores#currentVmmIndex()}. With one pool they are equal.
 *
 * <p>Several threads may carry the same index (for example two VMMs in one test JVM, or a benchmark
 * with more threads than slots); clustered objects stay correct then, only the representative is
 * shared (see {@link ClusteredObject}).
 */
public class CoreThread extends Thread {
  private final int coreIndex;
  private final int vmmIndex;

  /**
   * Creates (but does not start) the thread of physical CPU {@code coreIndex}, whose VMM index is
   * the same number (a VMM with one pool, or a test).
   *
   * @param coreIndex the physical CPU this thread stands for, at least 0
   * @param body what the thread runs (typically the physical CPU's scheduling loop)
   * @param name the thread's name
   * @throws IllegalArgumentException if {@code coreIndex} is negative
   */
  public CoreThread(int coreIndex, Runnable body, String name) {
    this(coreIndex, coreIndex, body, name);
  }

  /**
   * Creates (but does not start) the thread of a physical CPU with its index in its pool and its
   * index in the whole VMM.
   *
   * @param coreIndex the CPU's index within its pool, at least 0
   * @param vmmIndex the CPU's index among all physical CPUs of the VMM, at least 0
   * @param body what the thread runs (typically the physical CPU's scheduling loop)
   * @param name the thread's name
   * @throws IllegalArgumentException if an index is negative
   */
  public CoreThread(int coreIndex, int vmmIndex, Runnable body, String name) {
    super(body, name);
    if (coreIndex < 0 || vmmIndex < 0) {
      throw new IllegalArgumentException(
          "core indices must be >= 0: " + coreIndex + ", " + vmmIndex);
    }
    this.coreIndex = coreIndex;
    this.vmmIndex = vmmIndex;
  }

  /**
   * Returns the physical CPU this thread stands for.
   *
   * @return the core index given at construction, at least 0
   */
  public final int coreIndex() {
    return coreIndex;
  }

  /**
   * Returns this physical CPU's index among all physical CPUs of the VMM.
   *
   * @return the VMM index given at construction, at least 0
   */
  public final int vmmIndex() {
    return vmmIndex;
  }
}
