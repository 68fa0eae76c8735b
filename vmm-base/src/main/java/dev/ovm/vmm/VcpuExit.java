package dev.ovm.vmm;

/**
 * Why {@link Vcpu#run(long)} returned. The VM's run loop acts on it; nothing here allocates on the
 * common paths (the quantum and idle exits are singletons).
 */
public sealed interface VcpuExit {

  /** The instruction budget was used up, or the VM asked the vCPU to return early. */
  record Quantum() implements VcpuExit {}

  /** The hart executed WFI and no enabled interrupt is pending (Priv spec 3.3.3). */
  record WaitForInterrupt() implements VcpuExit {}

  /**
   * The hart can make no further progress (e.g. it traps at the same address with the same cause
   * over and over because no trap handler is installed).
   *
   * @param reason a one-line description for the user
   */
  record Fatal(String reason) implements VcpuExit {}

  /** The shared quantum exit. */
  VcpuExit QUANTUM = new Quantum();

  /** The shared idle exit. */
  VcpuExit WFI = new WaitForInterrupt();
}
