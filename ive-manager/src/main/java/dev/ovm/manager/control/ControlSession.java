package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One client of the {@link ControlServer}: a reader thread that hands each request line to the
 * client's {@link QmpProtocol} and queues the reply, and a writer thread that sends queued
 * messages (replies and events) in order, one per line. Events are queued only after the client
 * negotiated capabilities.
 */
final class ControlSession {
  /** Marks the end of the queue: the writer closes the connection. */
  private static final String END = "";

  private final SocketChannel channel;
  private final QmpProtocol protocol;
  private final Consumer<ControlSession> onClose;
  private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>();
  private volatile boolean negotiated;

  ControlSession(SocketChannel channel, QmpProtocol protocol, Consumer<ControlSession> onClose) {
    this.channel = channel;
    this.protocol = protocol;
    this.onClose = onClose;
  }

  void start() {
    outbox.add(QmpProtocol.greeting().toString());
    Thread.ofVirtual().name("ovm-control-writer").start(this::writeLoop);
    Thread.ofVirtual().name("ovm-control-reader").start(this::readLoop);
  }

  /** Queues an event for this client if it has negotiated capabilities. Never blocks. */
  void event(JsonNode message) {
    if (negotiated) {
      outbox.add(message.toString());
    }
  }

  /** Ends the session after the messages already queued. */
  void finish() {
    outbox.add(END);
  }

  private void readLoop() {
    try {
      JsonLines.read(channel, (line, tooLong) -> {
        if (tooLong) {
          outbox.add("{\"error\":{\"class\":\"GenericError\",\"desc\":\"request longer than "
              + JsonLines.MAX_LINE + " bytes\"}}");
        } else if (!line.isBlank()) {
          answer(line);
        }
      });
    } catch (IOException e) {
      // the client went away
    } finally {
      finish();
    }
  }

  private void answer(String request) {
    JsonNode reply = protocol.handle(request);
    negotiated = protocol.negotiated();
    outbox.add(reply.toString());
  }

  private void writeLoop() {
    try {
      while (true) {
        String message = outbox.take();
        if (message.isEmpty()) {
          break;
        }
        JsonLines.write(channel, message);
      }
    } catch (IOException e) {
      // the client went away; its remaining messages are dropped
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      onClose.accept(this);
      try {
        channel.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
