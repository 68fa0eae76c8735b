package dev.ovm.manager.control;

import dev.ovm.manager.control.CommandSpec.Kind;
import dev.ovm.manager.control.CommandSpec.Param;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the interactive console: command names (and {@code info}'s second word),
 * then each parameter by what it names — VM, pool and policy names from the live VMM, command
 * names for {@code help}.
 */
public final class ControlCompleter implements Completer {
  private final Function<Kind, List<String>> names;

  /** Completes names of each kind with {@code names} (asked at each completion). */
  public ControlCompleter(Function<Kind, List<String>> names) {
    this.names = names;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    for (String word : candidates(line.words().subList(0, line.wordIndex()))) {
      candidates.add(new Candidate(word));
    }
  }

  /** The words that may follow {@code before} (the complete words before the cursor's word). */
  public List<String> candidates(List<String> before) {
    Set<String> out = new LinkedHashSet<>();
    if (before.isEmpty()) {
      for (CommandSpec spec : CommandCatalog.all()) {
        out.add(spec.words().split(" ")[0]);
      }
      return List.copyOf(out);
    }
    if (before.size() == 1 && before.get(0).equals("info")) {
      for (CommandSpec spec : CommandCatalog.all()) {
        if (spec.words().startsWith("info ")) {
          out.add(spec.words().substring(5));
        }
      }
      return List.copyOf(out);
    }
    CommandSpec spec = spec(before);
    if (spec == null) {
      return List.of();
    }
    int index = before.size() - spec.words().split(" ").length;
    List<Param> params = spec.params();
    if (index < 0) {
      return List.of();
    }
    @org.checkerframework.checker.nullness.qual.Nullable Param param = index < params.size() ? params.get(index)
        : !params.isEmpty() && params.get(params.size() - 1).kind() == Kind.ASSIGNMENTS
            ? params.get(params.size() - 1) : null;
    if (param == null) {
      return List.of();
    }
    if (param.kind() == Kind.COMMAND) {
      for (CommandSpec s : CommandCatalog.all()) {
        out.add(s.words().split(" ")[0]);
      }
      return List.copyOf(out);
    }
    return names.apply(param.kind());
  }

  private static @org.checkerframework.checker.nullness.qual.Nullable CommandSpec spec(List<String> before) {
    if (before.size() >= 2) {
      var two = CommandCatalog.find(before.get(0) + " " + before.get(1));
      if (two.isPresent()) {
        return two.get();
      }
    }
    var one = CommandCatalog.find(before.get(0));
    return one.isPresent() && !one.get().words().contains(" ") ? one.get() : null;
  }
}
