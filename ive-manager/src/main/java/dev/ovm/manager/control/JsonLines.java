package dev.ovm.manager.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The control socket's framing: one UTF-8 JSON message per line, in both directions. Reading and
 * writing use the channel directly, so one thread may read while another writes.
 */
final class JsonLines {
  /** Longest line accepted; a longer one is reported to the handler and skipped. */
  static final int MAX_LINE = 1 << 20;

  /** Receives each line read. */
  interface Handler {
    /** A complete line without its newline; {@code tooLong} if it was cut at {@link #MAX_LINE}. */
    void line(String line, boolean tooLong);
  }

  private JsonLines() {}

  /** Reads lines until end of stream, handing each to {@code handler}. */
  static void read(ReadableByteChannel channel, Handler handler) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean tooLong = false;
    while (channel.read(buffer) >= 0) {
      buffer.flip();
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b != '\n') {
          if (line.size() < MAX_LINE) {
            line.write(b);
          } else {
            tooLong = true;
          }
          continue;
        }
        handler.line(line.toString(StandardCharsets.UTF_8), tooLong);
        line.reset();
        tooLong = false;
      }
      buffer.clear();
    }
  }

  /** Writes {@code message} and a newline. */
  static void write(WritableByteChannel channel, String message) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
