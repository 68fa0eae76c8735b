package dev.ovm.clustered;

/**
 * Visits the existing representatives of a {@link ClusteredObject}, for the operations that need
 * all of them (an aggregate, a shootdown, a state export).
 *
 * @param <R> the representative type
 */
@FunctionalInterface
public interface RepVisitor<R extends Object> {
  /**
   * Visits one representative.
   *
   * @param coreIndex the physical CPU it belongs to, or {@link Cores#OUTSIDE} for the outside slot
   * @param rep the representative
   */
  void visit(int coreIndex, R rep);
}
