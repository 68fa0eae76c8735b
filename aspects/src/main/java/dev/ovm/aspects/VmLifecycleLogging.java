package dev.ovm.aspects;

import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.Vm;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.aspectj.lang.annotation.After;
import org.aspectj.lang.annotation.Aspect;

/**
 * Logs the lifecycle of every {@link Vm}: created, started, stopped (with the reason) and trapped
 * to a state it cannot leave. The VM class itself carries no logging statements; it exposes
 * empty join-point methods that this aspect advises after weaving (see DESIGN.md, Aspects).
 *
 * <p>Records go to the {@link System.Logger} named {@value #LOGGER_NAME}; the {@code ovm} command
 * prints them on standard error, one line each.
 */
@Aspect
public class VmLifecycleLogging {
  /** Name of the logger that receives lifecycle records. */
  public static final String LOGGER_NAME = "dev.ovm.lifecycle";

  private static final Logger LOG = System.getLogger(LOGGER_NAME);

  /** Created by the AspectJ runtime. */
  public VmLifecycleLogging() {}

  /** After a VM is constructed. */
  @After("execution(dev.ovm.vmm.Vm.new(..)) && this(vm)")
  public void created(Vm vm) {
    LOG.log(Level.INFO, "{0}: created with {1} vCPU(s)", vm.name(), vm.vcpus().size());
  }

  /** After a VM enters {@code RUNNING}. */
  @After("execution(void dev.ovm.vmm.Vm.started()) && this(vm)")
  public void started(Vm vm) {
    LOG.log(Level.INFO, "{0}: started", vm.name());
  }

  /** After a VM reaches {@code STOPPED}. */
  @After("execution(void dev.ovm.vmm.Vm.stopped(dev.ovm.vmm.StopReason)) && this(vm) && args(reason)")
  public void stopped(Vm vm, StopReason reason) {
    LOG.log(
        Level.INFO,
        "{0}: stopped: {1} (exit status {2}) after {3,number,#} instructions",
        vm.name(),
        reason.detail(),
        reason.exitStatus(),
        vm.retired());
  }

  /** After a vCPU of a VM reached an unhandled trap state. */
  @After(
      "execution(void dev.ovm.vmm.Vm.unhandledTrap(dev.ovm.vmm.Vcpu, dev.ovm.vmm.VcpuExit.Fatal))"
          + " && this(vm) && args(vcpu, fatal)")
  public void unhandledTrap(Vm vm, Vcpu vcpu, VcpuExit.Fatal fatal) {
    LOG.log(
        Level.WARNING,
        "{0}: vCPU {1} trapped to an unhandled state: {2}",
        vm.name(),
        vcpu.id(),
        fatal.reason());
  }
}
