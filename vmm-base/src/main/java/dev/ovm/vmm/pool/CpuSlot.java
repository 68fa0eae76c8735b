package dev.ovm.vmm.pool;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one physical CPU of a pool is doing: the vCPU of its current scheduling decision and how
 * much of that decision's quantum is left. Touched only by the thread that drives this physical
 * CPU, and by the pool with its lock held while every physical CPU is quiesced (swap, removal).
 */
final class CpuSlot {
  final int index;
  volatile @Nullable PooledVcpu current;
  /** Instructions left of the current decision's quantum. */
  long remaining;
  /** Instructions run under the current decision so far. */
  long ran;

  CpuSlot(int index) {
    this.index = index;
  }
}
