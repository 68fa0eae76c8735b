package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Jazzer fuzz test of the control command model's parser ({@link CommandParser}) alone, on
 * operator-typed console lines and on socket requests' {@code execute}/{@code arguments} pairs,
 * both built from the catalog's words and parameter names mixed with fuzzer-chosen text.
 *
 * <p>Property: a line or request either parses to a command, which reparses from its own
 * arguments to the same command, or is refused with a {@link ControlError} whose message is one
 * non-empty line and whose class is one of QMP's two; no other exception escapes.
 *
 * <p>A regression test over its seeds in {@code mvn test}; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class CommandParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void fuzzParser(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      String line = FuzzedRequests.consoleLine(data);
      try {
        CommandParser.Parsed parsed = CommandParser.parseWords(CommandParser.words(line));
        assertNotNull(parsed.command(), line);
        assertEquals(parsed.command(),
            CommandParser.parseJson(parsed.spec().name(), parsed.arguments()).command(),
            "the console line and its socket form are the same command: " + line);
      } catch (ControlError e) {
        checkError(e, true);
      }
    } else {
      String name = FuzzedRequests.commandName(data);
      @Nullable JsonNode arguments = FuzzedRequests.arguments(data);
      try {
        assertNotNull(CommandParser.parseJson(name, arguments).command());
      } catch (ControlError e) {
        // the command name is echoed back, so only a console error is one line by construction
        checkError(e, false);
      }
    }
  }

  /** The documented error: a QMP class and a one-line (for the console) non-empty reason. */
  static void checkError(ControlError e, boolean oneLine) {
    assertTrue(List.of(ControlError.GENERIC, ControlError.COMMAND_NOT_FOUND).contains(e.errorClass()),
        e.errorClass());
    String message = e.getMessage();
    assertNotNull(message);
    assertFalse(message.isBlank(), "an empty error message");
    if (oneLine) {
      assertFalse(message.contains("\n") || message.contains("\r"), "more than one line: " + message);
    }
  }

  /** Words and names the fuzzer mixes with its own text; shared with {@link QmpProtocolFuzzTest}. */
  static final class FuzzedRequests {
    static final List<String> NAMES = new ArrayList<>();
    static final List<String> WORDS = new ArrayList<>();
    static final List<String> PARAMS = new ArrayList<>();

    static {
      for (CommandSpec spec : CommandCatalog.all()) {
        NAMES.add(spec.name());
        WORDS.add(spec.words());
        for (CommandSpec.Param p : spec.params()) {
          if (!PARAMS.contains(p.name())) {
            PARAMS.add(p.name());
          }
        }
      }
      NAMES.addAll(List.of("qmp_capabilities", "query-commands", "human-monitor-command"));
      PARAMS.add("command-line");
      WORDS.addAll(List.of("a", "b", "pool0", "pool1", "credit", "round-robin", "edf", "weight=512",
          "cap=25", "period=1000", "budget=10", "=", "x=", "=y", "info"));
    }

    private FuzzedRequests() {}

    /** A console line: catalog words and fuzzer text joined by fuzzer-chosen white space. */
    static String consoleLine(FuzzedDataProvider data) {
      StringBuilder line = new StringBuilder();
      int words = data.consumeInt(0, 5);
      for (int i = 0; i < words; i++) {
        line.append(data.pickValue(List.of(" ", "\t", "  ", " \u000B", "\u2028", "")));
        line.append(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(12));
      }
      return line.toString();
    }

    /** An {@code execute} name: mostly the catalog's. */
    static String commandName(FuzzedDataProvider data) {
      return data.consumeInt(0, 3) > 0 ? data.pickValue(NAMES) : data.consumeString(16);
    }

    /** An {@code arguments} member: absent, or any JSON value, mostly an object. */
    static @Nullable JsonNode arguments(FuzzedDataProvider data) {
      return switch (data.consumeInt(0, 5)) {
        case 0 -> null;
        case 1 -> value(data, 2);
        default -> object(data, 2);
      };
    }

    private static JsonNode object(FuzzedDataProvider data, int depth) {
      var object = VmmControl.Json.MAPPER.createObjectNode();
      int members = data.consumeInt(0, 3);
      for (int i = 0; i < members; i++) {
        String key = data.consumeBoolean() ? data.pickValue(PARAMS) : data.consumeString(8);
        object.set(key, data.consumeBoolean() ? scalar(data) : value(data, depth - 1));
      }
      return object;
    }

    private static JsonNode value(FuzzedDataProvider data, int depth) {
      var nodes = VmmControl.Json.MAPPER.getNodeFactory();
      return switch (depth <= 0 ? data.consumeInt(0, 4) : data.consumeInt(0, 6)) {
        case 0 -> nodes.nullNode();
        case 1 -> nodes.booleanNode(data.consumeBoolean());
        case 2 -> nodes.numberNode(data.consumeLong());
        case 3 -> nodes.numberNode(data.consumeDouble());
        case 4 -> scalar(data);
        case 5 -> nodes.arrayNode().add(value(data, depth - 1));
        default -> object(data, depth);
      };
    }

    private static JsonNode scalar(FuzzedDataProvider data) {
      var nodes = VmmControl.Json.MAPPER.getNodeFactory();
      return data.consumeBoolean() ? nodes.textNode(data.pickValue(WORDS)) : nodes.textNode(data.consumeString(12));
    }
  }
}
