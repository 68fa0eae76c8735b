package dev.ovm.clustered;

/**
 * Creates the representative of a clustered object for one physical CPU, the first time that CPU
 * uses the object (Tornado's miss handling: the root is asked to install a representative when the
 * per-processor translation finds none; Gamsa et al., OSDI '99).
 *
 * <p>Returns at most once per slot of a {@link ClusteredObject} (a call that throws is retried on
 * the next use), and is called while the object's miss lock is held (see the lock order in
 * {@link ClusteredObject}). It must not cause a miss on the same object, and should do no more
 * than build the representative: it runs on the slow path, but other CPUs missing on the same
 * object wait for it.
 *
 * @param <R> the representative type
 */
@FunctionalInterface
public interface MissHandler<R extends Object> {
  /**
   * Builds a representative.
   *
   * @param coreIndex the physical CPU the representative belongs to, or {@link Cores#OUTSIDE} for
   *     the outside slot shared by threads that are not physical CPUs
   * @return the new representative, never null
   */
  R createRep(int coreIndex);
}
