package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON control socket, spoken to byte by byte as a QMP client would. */
@org.junit.jupiter.api.Timeout(120)
class ControlServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** A raw line-based client: what socat or a script would do. */
  private static final class RawClient implements AutoCloseable {
    final SocketChannel channel;
    final BufferedReader in;
    /** Events read while looking for a reply, oldest first. */
    final java.util.ArrayDeque<JsonNode> events = new java.util.ArrayDeque<>();

    RawClient(Path path) throws IOException {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(path));
      in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    void send(String line) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    JsonNode read() throws IOException {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed");
      }
      return JSON.readTree(line);
    }

    /** The next message that is not an event. */
    JsonNode reply() throws IOException {
      JsonNode message = read();
      while (message.has("event")) {
        events.add(message);
        message = read();
      }
      return message;
    }

    /** The next event called {@code name}. */
    JsonNode event(String name) throws IOException {
      JsonNode message = events.isEmpty() ? read() : events.poll();
      while (!name.equals(message.path("event").asText())) {
        message = events.isEmpty() ? read() : events.poll();
      }
      return message;
    }

    JsonNode call(String request) throws IOException {
      send(request);
      return reply();
    }

    void negotiate() throws IOException {
      assertTrue(read().has("QMP"));
      assertEquals(JSON.readTree("{\"return\":{}}"), call("{\"execute\":\"qmp_capabilities\"}"));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static Map<String, String> twoBenches() {
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    guests.put("b", "bench.elf");
    return guests;
  }

  @Test
  void greetingHandshakeThenExecuteReturnsWithTheId() throws Exception {
    Path sock = dir.resolve("ovm.sock");
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches());
        ControlServer server = ControlServer.open(sock, live.control, live.vmm);
        RawClient client = new RawClient(sock)) {
      JsonNode greeting = client.read();
      assertEquals(0, greeting.at("/QMP/version/ovm/major").asInt());
      assertTrue(greeting.at("/QMP/capabilities").isArray());
      JsonNode early = client.call("{\"execute\":\"info-vms\",\"id\":1}");
      assertEquals("CommandNotFound", early.at("/error/class").asText());
      assertEquals("Expecting capabilities negotiation with 'qmp_capabilities'", early.at("/error/desc").asText());
      assertEquals(JSON.readTree("{\"return\":{},\"id\":\"hs\"}"),
          client.call("{\"execute\":\"qmp_capabilities\",\"id\":\"hs\"}"));
      JsonNode vms = client.call("{\"execute\":\"info-vms\",\"id\":7}");
      assertEquals(7, vms.get("id").asInt());
      assertEquals("a", vms.at("/return/0/name").asText());
      JsonNode swap = client.call(
          "{\"execute\":\"swap\",\"arguments\":{\"pool\":\"pool0\",\"policy\":\"credit\"},\"id\":8}");
      assertEquals("RUN_QUEUE", swap.at("/return/format").asText());
      assertEquals("credit", live.run("info pools").data().get(0).get("policy").asText());
      JsonNode text = client.call(
          "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info vm a\"}}");
      assertTrue(text.get("return").asText().contains("pool:         pool0 (credit)"), text.toString());
      JsonNode commands = client.call("{\"execute\":\"query-commands\"}");
      assertTrue(commands.get("return").toString().contains("\"swap\""));
    }
    assertFalse(Files.exists(sock), "closing the server removes the socket file");
  }

  @Test
  void badRequestsGetAnErrorAndTheConnectionStaysUsable() throws Exception {
    Path sock = dir.resolve("ovm.sock");
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches());
        ControlServer server = ControlServer.open(sock, live.control, live.vmm);
        RawClient client = new RawClient(sock)) {
      client.negotiate();
      JsonNode malformed = client.call("{\"execute\": \"info-vms\"");
      assertEquals("GenericError", malformed.at("/error/class").asText());
      assertTrue(malformed.at("/error/desc").asText().startsWith("JSON parse error"), malformed.toString());
      assertEquals("QMP input must be a JSON object", client.call("[1,2]").at("/error/desc").asText());
      assertEquals("QMP input lacks member 'execute'", client.call("{\"id\":3}").at("/error/desc").asText());
      JsonNode unknown = client.call("{\"execute\":\"frobnicate\",\"id\":4}");
      assertEquals("CommandNotFound", unknown.at("/error/class").asText());
      assertEquals(4, unknown.get("id").asInt());
      JsonNode refused = client.call("{\"execute\":\"pause\",\"arguments\":{\"vm\":\"zz\"}}");
      assertEquals("GenericError", refused.at("/error/class").asText());
      assertEquals("no VM named 'zz' (VMs: a, b)", refused.at("/error/desc").asText());
      JsonNode missing = client.call("{\"execute\":\"swap\",\"arguments\":{\"pool\":\"pool0\"}}");
      assertEquals("Parameter 'policy' is missing (swap)", missing.at("/error/desc").asText());
      assertEquals(2, client.call("{\"execute\":\"info-vms\"}").get("return").size(), "still usable");
    }
  }

  @Test
  void eventsAreTimestampedAndGoToEveryNegotiatedClient() throws Exception {
    Path sock = dir.resolve("ovm.sock");
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches());
        ControlServer server = ControlServer.open(sock, live.control, live.vmm);
        RawClient first = new RawClient(sock);
        RawClient second = new RawClient(sock);
        RawClient silent = new RawClient(sock)) {
      first.negotiate();
      second.negotiate();
      assertTrue(silent.read().has("QMP"));
      long before = Instant.now().getEpochSecond();
      assertEquals("paused", first.call("{\"execute\":\"pause\",\"arguments\":{\"vm\":\"a\"}}")
          .at("/return/state").asText());
      for (RawClient client : new RawClient[] {first, second}) {
        JsonNode event = client.event("VM_PAUSED");
        assertEquals("a", event.at("/data/vm").asText());
        long seconds = event.at("/timestamp/seconds").asLong();
        assertTrue(seconds >= before && seconds <= Instant.now().getEpochSecond(), event.toString());
        int micros = event.at("/timestamp/microseconds").asInt(-1);
        assertTrue(micros >= 0 && micros < 1_000_000, event.toString());
      }
      second.send("{\"execute\":\"swap\",\"arguments\":{\"pool\":\"pool0\",\"policy\":\"fair-share\"}}");
      JsonNode swapped = first.event("POLICY_SWAPPED");
      assertEquals("round-robin", swapped.at("/data/from").asText());
      assertEquals("fair-share", swapped.at("/data/to").asText());
      assertEquals("RUN_QUEUE", swapped.at("/data/format").asText());
      first.send("{\"execute\":\"destroy\",\"arguments\":{\"vm\":\"b\"}}");
      JsonNode stopped = second.event("VM_STOPPED");
      assertEquals("b", stopped.at("/data/vm").asText());
      assertEquals("user", stopped.at("/data/reason").asText());
      assertEquals("destroyed by the operator", stopped.at("/data/detail").asText());
      // the client that never negotiated got no event: its next message is the reply to its handshake
      assertEquals(JSON.readTree("{\"return\":{}}"), silent.call("{\"execute\":\"qmp_capabilities\"}"));
    }
  }

  @Test
  void closingTheServerSendsShutdownAndASecondServerReplacesAStaleSocket() throws Exception {
    Path sock = dir.resolve("ovm.sock");
    try (LiveVmm live = new LiveVmm("round-robin", twoBenches())) {
      ControlServer server = ControlServer.open(sock, live.control, live.vmm);
      try (RawClient client = new RawClient(sock)) {
        client.negotiate();
        server.close();
        assertEquals("SHUTDOWN", client.event("SHUTDOWN").get("event").asText());
      }
      Files.createFile(sock); // a stale file nobody listens on
      try (ControlServer again = ControlServer.open(sock, live.control, live.vmm);
          RawClient client = new RawClient(sock)) {
        client.negotiate();
        try {
          ControlServer.open(sock, live.control, live.vmm).close();
          throw new AssertionError("a socket in use must not be taken over");
        } catch (IOException e) {
          assertTrue(e.getMessage().endsWith("is in use by another process"), e.getMessage());
        }
      }
    }
  }
}
