package dev.ovm.vmm.pool;

/**
 * A pool's counters at one moment.
 *
 * @param retired instructions retired by the pool's vCPUs
 * @param idle instructions' worth of time its physical CPUs were idle (realtime mode: per idle
 *     step; deterministic mode: per idle round)
 * @param decisions scheduling decisions that started a vCPU
 */
public record PoolStats(long retired, long idle, long decisions) {}
