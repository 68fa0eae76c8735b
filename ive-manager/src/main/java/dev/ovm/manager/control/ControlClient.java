package dev.ovm.manager.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A client of the control socket, as {@code ovm ctl} and {@code ovm console} use it: connects,
 * reads the greeting, negotiates capabilities, then sends one request at a time and waits for its
 * reply. Events arriving in between go to the event handler, on the client's reader thread.
 */
public final class ControlClient implements AutoCloseable {
  /** How long {@link #call} waits for a reply. */
  private static final long REPLY_TIMEOUT_SECONDS = 60;

  private static final JsonNode CLOSED = VmmControl.Json.MAPPER.createObjectNode();

  private final SocketChannel channel;
  private final LinkedBlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
  private final Consumer<JsonNode> events;
  private long nextId = 1;

  private ControlClient(SocketChannel channel, Consumer<JsonNode> events) {
    this.channel = channel;
    this.events = events;
  }

  /**
   * Connects to the socket at {@code path} and negotiates capabilities.
   *
   * @param events receives each event message, on the reader thread
   * @throws IOException if there is no server, or it does not speak the protocol
   */
  public static ControlClient connect(Path path, Consumer<JsonNode> events) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
    }
    ControlClient client = new ControlClient(channel, events);
    Thread.ofVirtual().name("ovm-control-client").start(client::readLoop);
    JsonNode greeting = client.next();
    if (!greeting.has("QMP")) {
      client.close();
      throw new IOException(path + " is not an ovm control socket");
    }
    JsonNode reply = client.call("qmp_capabilities", null);
    if (!reply.has("return")) {
      client.close();
      throw new IOException("capabilities negotiation failed: " + reply);
    }
    return client;
  }

  private void readLoop() {
    try {
      JsonLines.read(channel, (line, tooLong) -> {
        try {
          JsonNode message = VmmControl.Json.MAPPER.readTree(line);
          if (message != null && message.has("event")) {
            events.accept(message);
          } else if (message != null) {
            replies.add(message);
          }
        } catch (JacksonException e) {
          // not JSON: not from an ovm server; ignored
        }
      });
    } catch (IOException e) {
      // the server went away
    } finally {
      replies.add(CLOSED);
    }
  }

  private JsonNode next() throws IOException {
    JsonNode message;
    try {
      message = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the VMM", e);
    }
    if (message == null) {
      throw new IOException("no reply from the VMM within " + REPLY_TIMEOUT_SECONDS + " s");
    }
    if (message == CLOSED) {
      replies.add(CLOSED);
      throw new IOException("the VMM closed the connection");
    }
    return message;
  }

  /**
   * Sends {@code {"execute": name, "arguments": arguments}} and returns the whole reply: an object
   * with {@code return} or {@code error}.
   *
   * @throws IOException if the connection fails or no reply comes
   */
  public synchronized JsonNode call(String name, @Nullable JsonNode arguments) throws IOException {
    ObjectNode request = VmmControl.Json.MAPPER.createObjectNode();
    request.put("execute", name);
    if (arguments != null) {
      request.set("arguments", arguments);
    }
    long id = nextId++;
    request.put("id", id);
    JsonLines.write(channel, request.toString());
    while (true) {
      JsonNode reply = next();
      JsonNode replyId = reply.get("id");
      if (replyId == null || replyId.asLong() == id) {
        return reply;
      }
    }
  }

  /**
   * Runs a console command line on the server and returns its text.
   *
   * @throws ControlError with the server's message if the command failed
   * @throws IOException if the connection fails
   */
  public String human(String line) throws IOException {
    return returned(call("human-monitor-command", CommandParser.humanArguments(line))).asText();
  }

  /**
   * The {@code return} member of {@code reply}.
   *
   * @throws ControlError with the server's class and message if it is an error reply
   */
  public static JsonNode returned(JsonNode reply) {
    JsonNode value = reply.get("return");
    if (value != null) {
      return value;
    }
    JsonNode error = reply.path("error");
    throw new ControlError(error.path("class").asText(ControlError.GENERIC),
        error.path("desc").asText("malformed reply: " + reply));
  }

  /** Closes the connection. */
  @Override
  public void close(@GuardSatisfied ControlClient this) throws IOException {
    channel.close();
  }
}
