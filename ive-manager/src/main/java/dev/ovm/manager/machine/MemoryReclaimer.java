package dev.ovm.manager.machine;

import dev.ovm.vmm.VmState;
import dev.ovm.vmm.Vmm;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a VM's machine frames back as soon as the VMM has stopped it (powered off, destroyed,
 * failed), so that the VMs still running can use them, rather than when the run ends. Runs after
 * every round on the VMM's run thread, where a stopped VM's vCPUs have already left their pool.
 */
public final class MemoryReclaimer implements Vmm.RoundListener {
  private final List<Machine> running;

  /**
   * Watches {@code machines}.
   *
   * @param machines the machines whose VMs run in the VMM this listener is added to
   */
  public MemoryReclaimer(List<Machine> machines) {
    this.running = new ArrayList<>(machines);
  }

  @Override
  public void roundEnded(Vmm vmm, long now) {
    running.removeIf(machine -> {
      if (machine.vm().state() != VmState.STOPPED) {
        return false;
      }
      machine.releaseMemory();
      return true;
    });
  }
}
