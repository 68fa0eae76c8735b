package dev.ovm.clustered;

/**
 * The per-physical-CPU representative of a {@link ClusteredCounter}: a padded cell written only by
 * its owner, the thread whose first use created it.
 */
final class CounterRep {
  /** The only thread that ever writes {@link #cell}. */
  final Thread owner;

  /** What the owner has counted; written by the owner with opaque stores, read by anyone. */
  final PaddedLong cell = new PaddedLong();

  CounterRep(Thread owner) {
    this.owner = owner;
  }
}
