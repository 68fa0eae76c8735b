package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovm.manager.control.CommandParserFuzzTest.FuzzedRequests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz test of the control socket's JSON line handling ({@link QmpProtocol}) against a
 * live VMM running two copies of {@code guests/bin/bench.elf} (VMs {@code a} and {@code b} in
 * {@code pool0}, as {@link VmmControlTest} runs them): each input is a fresh client session that
 * sends fuzzer-chosen lines, either raw text or requests built from the catalog's command and
 * parameter names with fuzzer-chosen values (including {@code human-monitor-command} with a
 * fuzzed console line). Commands really run, so a fuzzer's {@code quit} or {@code destroy} ends
 * the VMM; the next input then gets a new one.
 *
 * <p>Property: every line gets a well-formed QMP reply — an object with exactly {@code return}
 * or {@code error} (an object with a QMP class and a non-empty {@code desc}) and the request's
 * {@code id} when it had one — that serializes to one line, never reports an internal error
 * (a Java exception that the control layer had to wrap), and no exception escapes.
 *
 * <p>A regression test over its seeds in {@code mvn test}; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class QmpProtocolFuzzTest {
  private static final int MAX_LINES = 8;
  private static @Nullable LiveVmm live;

  @FuzzTest(maxDuration = "5m")
  void fuzzRequests(FuzzedDataProvider data) throws Exception {
    QmpProtocol protocol = new QmpProtocol(vmm().control);
    if (data.consumeBoolean()) {
      assertEquals("{\"return\":{}}", protocol.handle("{\"execute\":\"qmp_capabilities\"}").toString());
    }
    for (int i = 0; i < MAX_LINES && data.remainingBytes() > 0; i++) {
      @Nullable JsonNode id = null;
      String line;
      if (data.consumeInt(0, 3) == 0) {
        line = data.consumeString(200);
      } else {
        ObjectNode request = request(data);
        id = request.get("id");
        line = request.toString();
      }
      ObjectNode reply = protocol.handle(line);
      check(line, reply, id);
    }
  }

  /** A request: an execute name, maybe arguments, maybe an id, maybe an unexpected member. */
  private static ObjectNode request(FuzzedDataProvider data) {
    ObjectNode request = VmmControl.Json.MAPPER.createObjectNode();
    String name = FuzzedRequests.commandName(data);
    if (data.consumeInt(0, 7) > 0) {
      request.put("execute", name);
    } else {
      request.put("execute", data.consumeLong()); // not a string
    }
    @Nullable JsonNode arguments = name.equals("human-monitor-command") && data.consumeBoolean()
        ? CommandParser.humanArguments(FuzzedRequests.consoleLine(data))
        : FuzzedRequests.arguments(data);
    if (arguments != null) {
      request.set("arguments", arguments);
    }
    switch (data.consumeInt(0, 4)) {
      case 0 -> request.put("id", data.consumeLong());
      case 1 -> request.put("id", data.consumeString(8));
      case 2 -> request.putObject("id").put("n", data.consumeInt());
      case 3 -> request.put(data.consumeString(6), 1);
      default -> { }
    }
    return request;
  }

  private static void check(String line, ObjectNode reply, @Nullable JsonNode id) {
    String text = reply.toString();
    assertFalse(text.contains("\n") || text.contains("\r"), "a reply is one line: " + text);
    if (id != null) {
      // compared as JSON text: the request's long 0 comes back parsed as an int 0
      assertEquals(id.toString(), String.valueOf(reply.get("id")), "the id comes back: " + line);
    }
    List<String> members = new ArrayList<>();
    reply.fieldNames().forEachRemaining(members::add);
    members.remove("id");
    assertEquals(1, members.size(), "exactly return or error: " + text);
    if (members.get(0).equals("return")) {
      assertNotNull(reply.get("return"), text);
      return;
    }
    assertEquals("error", members.get(0), text);
    JsonNode error = reply.get("error");
    assertTrue(error.isObject() && error.size() == 2, text);
    assertTrue(List.of(ControlError.GENERIC, ControlError.COMMAND_NOT_FOUND)
        .contains(error.path("class").asText()), text);
    assertTrue(error.path("desc").isTextual() && !error.path("desc").asText().isBlank(), text);
    assertFalse(error.path("desc").asText().startsWith("internal error"), "a Java exception reached the client for "
        + line + ": " + text);
  }

  @AfterAll
  static synchronized void stopVmm() throws Exception {
    LiveVmm current = live;
    live = null;
    if (current != null) {
      current.close();
    }
  }

  /** The live VMM, started anew if the last one ended (every VM quit or destroyed). */
  private static synchronized LiveVmm vmm() throws Exception {
    LiveVmm current = live;
    if (current != null && !current.result.isDone()) {
      return current;
    }
    if (current != null) {
      current.close();
    }
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    guests.put("b", "bench.elf");
    LiveVmm fresh = new LiveVmm("credit", guests);
    live = fresh;
    return fresh;
  }
}
