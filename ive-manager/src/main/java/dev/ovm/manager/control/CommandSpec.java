package dev.ovm.manager.control;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How one command is written and what it means: its name on the socket ({@code info-vms}), its
 * words on the console ({@code info vms}), its parameters and its help text.
 *
 * @param name the socket's {@code execute} name
 * @param words the console's spelling (the name with {@code info-} written {@code info })
 * @param params the parameters, in console order
 * @param summary one line for the command list
 * @param description what the command does, for {@code help COMMAND}
 * @param build makes the command from bound arguments (already checked for arity)
 */
public record CommandSpec(
    String name,
    String words,
    List<Param> params,
    String summary,
    String description,
    Function<Bound, ControlCommand> build) {

  /** Copies the parameter list. */
  public CommandSpec {
    params = List.copyOf(params);
  }

  /** What a parameter names, which tells completion where to look. */
  public enum Kind {
    /** A VM's name. */
    VM,
    /** A pool's name. */
    POOL,
    /** A registered policy name. */
    POLICY,
    /** A command name. */
    COMMAND,
    /** {@code KEY=VALUE} policy parameters, one or more (the socket takes an object). */
    ASSIGNMENTS
  }

  /**
   * One parameter.
   *
   * @param name its key in the socket's {@code arguments} object and its placeholder in usage
   * @param kind what it names
   * @param optional true if it may be left out
   */
  public record Param(String name, Kind kind, boolean optional) {}

  /**
   * Arguments bound to a spec's parameters.
   *
   * @param values the single-valued parameters given, by name
   * @param assignments the {@link Kind#ASSIGNMENTS} parameter's pairs, in order (empty if none)
   */
  public record Bound(Map<String, String> values, Map<String, String> assignments) {
    /** The value of required parameter {@code name} (present after binding). */
    public String get(String name) {
      String value = values.get(name);
      if (value == null) {
        throw new ControlError("missing argument '" + name + "'");
      }
      return value;
    }
  }

  /** The usage line, e.g. {@code set VM KEY=VALUE...}. */
  public String usage() {
    StringBuilder out = new StringBuilder(words);
    for (Param p : params) {
      String placeholder =
          p.kind() == Kind.ASSIGNMENTS ? "KEY=VALUE..." : p.name().toUpperCase(java.util.Locale.ROOT);
      out.append(' ').append(p.optional() ? "[" + placeholder + "]" : placeholder);
    }
    return out.toString();
  }
}
