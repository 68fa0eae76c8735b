package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovm.manager.control.CommandSpec.Bound;
import dev.ovm.manager.control.CommandSpec.Kind;
import dev.ovm.manager.control.CommandSpec.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns what an operator typed ({@code swap pool0 credit}) or what a socket client sent ({@code
 * {"execute":"swap","arguments":{"pool":"pool0","policy":"credit"}}}) into a {@link
 * ControlCommand}, checking its form against the {@link CommandCatalog}. Errors are {@link
 * ControlError}s with a one-line message that includes the usage where it helps.
 */
public final class CommandParser {
  private CommandParser() {}

  /**
   * A command's spec with its arguments bound.
   *
   * @param spec the command
   * @param bound its arguments
   */
  public record Parsed(CommandSpec spec, Bound bound) {
    /** The typed command. */
    public ControlCommand command() {
      return spec.build().apply(bound);
    }

    /** The arguments as the socket's {@code arguments} object. */
    public ObjectNode arguments() {
      ObjectNode args = JsonNodeFactory.instance.objectNode();
      bound.values().forEach(args::put);
      if (!bound.assignments().isEmpty()) {
        ObjectNode pairs = args.putObject(assignmentsParam(spec));
        bound.assignments().forEach(pairs::put);
      }
      return args;
    }
  }

  /** Parses a console line. */
  public static ControlCommand parse(String line) {
    return parseWords(words(line)).command();
  }

  /** Splits a console line into words at white space. */
  public static List<String> words(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }

  /**
   * Binds console words to a command: the command's words first ({@code info vm}), then its
   * parameters in order; a {@code KEY=VALUE...} parameter takes the remaining words.
   */
  public static Parsed parseWords(List<String> words) {
    if (words.isEmpty()) {
      throw new ControlError("empty command (try 'help')");
    }
    CommandSpec spec = specFor(words);
    int next = spec.words().split(" ").length;
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> assignments = new LinkedHashMap<>();
    for (Param p : spec.params()) {
      if (p.kind() == Kind.ASSIGNMENTS) {
        if (next >= words.size()) {
          throw usage(spec, "needs at least one KEY=VALUE");
        }
        for (; next < words.size(); next++) {
          assign(spec, assignments, words.get(next));
        }
      } else if (next < words.size()) {
        values.put(p.name(), words.get(next++));
      } else if (!p.optional()) {
        throw usage(spec, "missing " + p.name().toUpperCase(java.util.Locale.ROOT));
      }
    }
    if (next < words.size()) {
      throw usage(spec, "too many arguments");
    }
    return new Parsed(spec, new Bound(values, assignments));
  }

  private static CommandSpec specFor(List<String> words) {
    String first = words.get(0);
    if (words.size() >= 2) {
      var two = CommandCatalog.find(first + " " + words.get(1));
      if (two.isPresent()) {
        return two.get();
      }
    }
    var one = CommandCatalog.find(first);
    if (one.isPresent() && !one.get().words().contains(" ")) {
      return one.get();
    }
    if ("info".equals(first)) {
      throw new ControlError("usage: info vms | info pools | info vm VM");
    }
    throw new ControlError(ControlError.COMMAND_NOT_FOUND, "unknown command '" + first + "' (try 'help')");
  }

  private static void assign(CommandSpec spec, Map<String, String> into, String word) {
    int eq = word.indexOf('=');
    if (eq <= 0 || eq == word.length() - 1) {
      throw usage(spec, "'" + word + "' is not KEY=VALUE");
    }
    String key = word.substring(0, eq);
    if (into.containsKey(key)) {
      throw usage(spec, key + " is given twice");
    }
    into.put(key, word.substring(eq + 1));
  }

  /**
   * Binds a socket request: {@code name} is the command's socket name (or its console words),
   * {@code arguments} an object keyed by parameter name (absent or null for none). A {@code
   * KEY=VALUE...} parameter is an object of strings or numbers.
   */
  public static Parsed parseJson(String name, @Nullable JsonNode arguments) {
    CommandSpec spec = CommandCatalog.find(name).orElseThrow(() ->
        new ControlError(ControlError.COMMAND_NOT_FOUND, "The command " + name + " has not been found"));
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> assignments = new LinkedHashMap<>();
    if (arguments != null && !arguments.isNull()) {
      if (!arguments.isObject()) {
        throw new ControlError("'arguments' must be an object");
      }
      for (Map.Entry<String, JsonNode> field : arguments.properties()) {
        Param p = param(spec, field.getKey());
        JsonNode value = field.getValue();
        if (p.kind() == Kind.ASSIGNMENTS) {
          jsonAssignments(spec, p, value, assignments);
        } else {
          values.put(p.name(), scalar(spec, p.name(), value));
        }
      }
    }
    for (Param p : spec.params()) {
      boolean given = p.kind() == Kind.ASSIGNMENTS ? !assignments.isEmpty() : values.containsKey(p.name());
      if (!p.optional() && !given) {
        throw new ControlError("Parameter '" + p.name() + "' is missing (" + spec.name() + ")");
      }
    }
    return new Parsed(spec, new Bound(values, assignments));
  }

  private static Param param(CommandSpec spec, String name) {
    for (Param p : spec.params()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new ControlError("Parameter '" + name + "' is unexpected (" + spec.name() + ")");
  }

  private static void jsonAssignments(CommandSpec spec, Param p, JsonNode value, Map<String, String> into) {
    if (!value.isObject() || value.isEmpty()) {
      throw new ControlError("Parameter '" + p.name() + "' must be a non-empty object of KEY: VALUE ("
          + spec.name() + ")");
    }
    for (Map.Entry<String, JsonNode> pair : value.properties()) {
      into.put(pair.getKey(), scalar(spec, p.name() + "." + pair.getKey(), pair.getValue()));
    }
  }

  private static String scalar(CommandSpec spec, String name, JsonNode value) {
    if (!value.isTextual() && !value.isNumber()) {
      throw new ControlError("Parameter '" + name + "' must be a string or a number (" + spec.name() + ")");
    }
    return value.asText();
  }

  private static String assignmentsParam(CommandSpec spec) {
    for (Param p : spec.params()) {
      if (p.kind() == Kind.ASSIGNMENTS) {
        return p.name();
      }
    }
    return "parameters";
  }

  private static ControlError usage(CommandSpec spec, String problem) {
    return new ControlError(spec.words() + ": " + problem + " (usage: " + spec.usage() + ")");
  }

  /** The {@code arguments} of a {@code human-monitor-command} request running {@code line}. */
  public static ObjectNode humanArguments(String line) {
    return JsonNodeFactory.instance.objectNode().put("command-line", line);
  }

  /** The commands whose console words start with {@code prefix} (for completion). */
  public static List<String> commandWords(String prefix) {
    List<String> out = new ArrayList<>();
    for (CommandSpec spec : CommandCatalog.all()) {
      if (spec.words().startsWith(prefix)) {
        out.add(spec.words());
      }
    }
    return out;
  }
}
