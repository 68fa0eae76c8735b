package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.VmmEvent;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * The JSON control socket: a Unix-domain socket on which any number of clients speak {@link
 * QmpProtocol}, one JSON message per line in each direction. Each client gets the greeting, its
 * replies in order, and — once it has negotiated capabilities — every {@link VmmEvent} as a
 * timestamped event message ({@link ControlEvents}).
 *
 * <p>Threads: one virtual thread accepts connections; each client has a virtual thread reading
 * its requests (and waiting for their replies) and one writing its messages from a queue, so a
 * slow client never holds up the VMM thread that publishes an event.
 */
public final class ControlServer implements AutoCloseable {
  private final Path path;
  private final ServerSocketChannel server;
  private final VmmControl control;
  private final Vmm vmm;
  private final Set<ControlSession> sessions;
  private final Consumer<VmmEvent> listener;

  private ControlServer(Path path, ServerSocketChannel server, VmmControl control, Vmm vmm) {
    this.path = path;
    this.server = server;
    this.control = control;
    this.vmm = vmm;
    Set<ControlSession> all = ConcurrentHashMap.newKeySet();
    this.sessions = all;
    this.listener = event -> broadcast(all, event);
  }

  /**
   * Listens on {@code path} and starts accepting clients. A stale socket file that no process
   * listens on any more is replaced.
   *
   * @throws IOException if the socket cannot be created, or another process listens on it
   */
  public static ControlServer open(Path path, VmmControl control, Vmm vmm) throws IOException {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
    if (Files.exists(path)) {
      if (listening(address)) {
        throw new IOException(path + " is in use by another process");
      }
      Files.delete(path);
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(address);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    ControlServer controlServer = new ControlServer(path, server, control, vmm);
    vmm.addEventListener(controlServer.listener);
    Thread.ofVirtual().name("ovm-control-accept").start(controlServer::acceptLoop);
    return controlServer;
  }

  private static boolean listening(UnixDomainSocketAddress address) {
    try {
      SocketChannel.open(address).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The socket's path. */
  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
        continue;
      }
      ControlSession session = new ControlSession(channel, new QmpProtocol(control), ended -> sessions.remove(ended));
      sessions.add(session);
      session.start();
    }
  }

  private static void broadcast(Set<ControlSession> sessions, VmmEvent event) {
    if (sessions.isEmpty()) {
      return;
    }
    JsonNode message = ControlEvents.of(event);
    for (ControlSession session : sessions) {
      session.event(message);
    }
  }

  /**
   * Sends {@code SHUTDOWN} to every client, closes every connection and the socket, and removes
   * the socket file.
   */
  @Override
  public void close(@GuardSatisfied ControlServer this) {
    vmm.removeEventListener(listener);
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    JsonNode shutdown = ControlEvents.shutdown();
    for (ControlSession session : sessions) {
      session.event(shutdown);
      session.finish();
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a socket file left behind is replaced by the next server
    }
  }
}
