package dev.ovm.vmm;

/**
 * A virtual CPU as the VMM schedules it. The implementation (a RISC-V hart in {@code cpu-virt})
 * executes guest instructions only inside {@link #run(long)}, on the calling thread; the other
 * methods are safe to call from any thread.
 */
public interface Vcpu {

  /** The hart id ({@code mhartid}), 0-based within the VM. */
  int id();

  /**
   * Executes up to {@code maxInstructions} instructions and returns why it stopped. A vCPU that
   * was asked to {@link #requestExit() exit} returns {@link VcpuExit#QUANTUM} promptly.
   */
  VcpuExit run(long maxInstructions);

  /**
   * Instructions retired since the vCPU was created. A reset of the vCPU does not restart this
   * count (the guest-visible counters restart; this one is the VMM's accounting).
   */
  long retired();

  /**
   * True if an interrupt is pending and enabled in {@code mie} (regardless of the global enable
   * bits): the condition that ends WFI (Priv spec 3.3.3).
   */
  boolean wakeable();

  /** Asks a running vCPU to return from {@link #run(long)} at its next check point. */
  void requestExit();

  /** True while the hart is stopped and waits to be started (SBI HSM), so it is not scheduled. */
  default boolean parked() {
    return false;
  }
}
