package dev.ovm.manager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host programs that tests need (e2fsprogs' mke2fs, e2fsck, debugfs) and captures their output. */
public final class HostTools {
  /** What a program printed on standard output, and its exit status. */
  public record Output(int status, byte[] stdout) {}

  private HostTools() {}

  /**
   * The path of an e2fsprogs program: in {@code /usr/sbin} or {@code /sbin} (not always on a
   * non-root PATH), else the bare name for the PATH to resolve.
   */
  public static String e2fsprogs(String program) {
    for (String folder : new String[] {"/usr/sbin", "/sbin"}) {
      Path candidate = Path.of(folder, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return program;
  }

  /**
   * Runs {@code program args...} with standard error discarded, waiting at most two minutes.
   *
   * @throws IOException if it cannot be started (e.g. e2fsprogs is missing: run scripts/deps.sh)
   * @throws IllegalStateException if it does not finish in time
   */
  public static Output run(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(program));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + program + " (scripts/deps.sh installs it): " + e.getMessage(), e);
    }
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(program + " did not finish in two minutes");
    }
    return new Output(process.exitValue(), stdout);
  }
}
