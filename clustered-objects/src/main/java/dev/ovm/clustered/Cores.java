package dev.ovm.clustered;

/**
 * Core identity of the calling thread: which physical CPU it stands for.
 *
 * <p>A thread is a physical CPU exactly when it is a {@link CoreThread}. Every other thread (the
 * console, the control socket, test threads, JMH workers without a core executor) is <em>outside</em>
 * and gets {@link #OUTSIDE}; {@link CoreSet#slotOf(int)} maps it to the shared outside slot of a
 * clustered object.
 */
public final class Cores {
  /** The core index of a thread that is not a physical CPU. */
  public static final int OUTSIDE = -1;

  private Cores() {}

  /**
   * Returns the physical CPU the calling thread stands for, without locking or hashing.
   *
   * @return the calling {@link CoreThread}'s {@link CoreThread#coreIndex()}, or {@link #OUTSIDE}
   *     if the calling thread is not a physical CPU
   */
  public static int currentIndex() {
    return Thread.currentThread() instanceof CoreThread core ? core.coreIndex() : OUTSIDE;
  }

  /**
   * Returns the VMM-wide index of the physical CPU the calling thread stands for (see {@link
   * CoreThread}), for clustered objects shared by every pool, which look their rep up with
   * {@link ClusteredObject#repOf(int)}.
   *
   * @return the calling {@link CoreThread}'s {@link CoreThread#vmmIndex()}, or {@link #OUTSIDE}
   *     if the calling thread is not a physical CPU
   */
  public static int currentVmmIndex() {
    return Thread.currentThread() instanceof CoreThread core ? core.vmmIndex() : OUTSIDE;
  }

  /**
   * Tells whether the calling thread is a physical CPU.
   *
   * @return true if the calling thread is a {@link CoreThread}
   */
  public static boolean isCore() {
    return Thread.currentThread() instanceof CoreThread;
  }
}
