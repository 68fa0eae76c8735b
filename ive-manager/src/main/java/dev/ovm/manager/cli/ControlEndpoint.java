package dev.ovm.manager.cli;

import dev.ovm.manager.control.ControlServer;
import dev.ovm.manager.control.VmmControl;
import dev.ovm.manager.machine.Machine;
import dev.ovm.manager.machine.MachineBuilder;
import dev.ovm.vmm.Vmm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The control socket of one {@code ovm run --control PATH}, open for as long as the VMM runs;
 * without {@code --control} it does nothing.
 */
final class ControlEndpoint implements AutoCloseable {
  private final @Nullable VmmControl control;
  private final @Nullable ControlServer server;

  private ControlEndpoint(@Nullable VmmControl control, @Nullable ControlServer server) {
    this.control = control;
    this.server = server;
  }

  /**
   * Opens the socket at {@code path} (if not null) for {@code vmm} running {@code machines}.
   *
   * @throws UserError if the socket cannot be created
   */
  static ControlEndpoint open(
      @Nullable Path path, Vmm vmm, List<Machine> machines, PrintWriter err, boolean quiet) {
    if (path == null) {
      return new ControlEndpoint(null, null);
    }
    VmmControl control = new VmmControl(vmm, machines, MachineBuilder.INSTRUCTIONS_PER_TICK * 10);
    try {
      ControlServer server = ControlServer.open(path, control, vmm);
      if (!quiet) {
        err.println("[ovm] control socket: " + path + " (ovm console " + path + ")");
        err.flush();
      }
      return new ControlEndpoint(control, server);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UserError("cannot listen on --control " + path + ": " + e.getMessage(), e);
    }
  }

  /** Fails commands still waiting, tells the clients the VMM stopped and removes the socket. */
  @Override
  public void close(@GuardSatisfied ControlEndpoint this) {
    VmmControl c = control;
    if (c != null) {
      c.vmmStopped();
    }
    ControlServer s = server;
    if (s != null) {
      s.close();
    }
  }
}
