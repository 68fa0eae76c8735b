package dev.ovm.manager.cli;

import dev.ovm.manager.control.ControlServer;
import dev.ovm.manager.control.VmmControl;
import dev.ovm.vmm.Vmm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The control socket of one {@code ovm run --control PATH}, open for as long as the VMM runs;
 * without {@code --control} it does nothing.
 */
final class ControlEndpoint implements AutoCloseable {
  private final @Nullable ControlServer server;

  private ControlEndpoint(@Nullable ControlServer server) {
    this.server = server;
  }

  /**
   * Opens the socket at {@code path} (if not null) on which clients run commands through {@code
   * control} and hear {@code vmm}'s events.
   *
   * @throws UserError if the socket cannot be created
   */
  static ControlEndpoint open(
      @Nullable Path path, VmmControl control, Vmm vmm, PrintWriter err, boolean quiet) {
    if (path == null) {
      return new ControlEndpoint(null);
    }
    try {
      ControlServer server = ControlServer.open(path, control, vmm);
      if (!quiet) {
        err.println("[ovm] control socket: " + path + " (ovm console " + path + ")");
        err.flush();
      }
      return new ControlEndpoint(server);
    } catch (IOException | UnsupportedOperationException e) {
      throw new UserError("cannot listen on --control " + path + ": " + e.getMessage(), e);
    }
  }

  /** Tells the clients the VMM stopped and removes the socket. */
  @Override
  public void close(@GuardSatisfied ControlEndpoint this) {
    ControlServer s = server;
    if (s != null) {
      s.close();
    }
  }
}
