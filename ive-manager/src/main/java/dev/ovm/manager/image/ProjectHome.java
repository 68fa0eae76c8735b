package dev.ovm.manager.image;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Finds the ovm project folder, whose {@code scripts/} build guest images and whose {@code
 * .ovm-cache/} keeps them. The jar does not carry the scripts, so they are looked for, in order:
 * in {@code $OVM_HOME}; above the running jar or classes folder (the launcher runs {@code
 * ive-manager/target/ovm.jar} of a checkout); above the working directory. A folder qualifies if
 * it holds the script asked for.
 */
public final class ProjectHome {
  /** The environment variable that names the project folder explicitly. */
  public static final String ENVIRONMENT_VARIABLE = "OVM_HOME";

  private ProjectHome() {}

  /**
   * The first folder that holds {@code script}, searching {@code home} (if given) and then every
   * ancestor of each of {@code starts}.
   *
   * @param home the value of {@code $OVM_HOME}, or null
   * @param script the file that marks the project, relative to it (e.g. {@code scripts/debian-image.sh})
   * @param starts folders to search upwards from
   */
  public static Optional<Path> find(@Nullable String home, String script, List<Path> starts) {
    if (home != null && !home.isEmpty()) {
      Path dir = Path.of(home).toAbsolutePath();
      return Files.isRegularFile(dir.resolve(script)) ? Optional.of(dir) : Optional.empty();
    }
    for (Path start : starts) {
      for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(script))) {
          return Optional.of(dir);
        }
      }
    }
    return Optional.empty();
  }

  /** {@link #find} with this process's {@code $OVM_HOME}, code location and working directory. */
  public static Optional<Path> locate(String script) {
    List<Path> starts = new ArrayList<>();
    codeLocation().ifPresent(starts::add);
    starts.add(Path.of(""));
    return find(System.getenv(ENVIRONMENT_VARIABLE), script, starts);
  }

  private static Optional<Path> codeLocation() {
    try {
      var source = ProjectHome.class.getProtectionDomain().getCodeSource();
      return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty(); // not a file location: fall back to the working directory
    }
  }
}
