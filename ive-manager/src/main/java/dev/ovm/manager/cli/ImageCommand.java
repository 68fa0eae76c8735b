package dev.ovm.manager.cli;

import dev.ovm.manager.image.GuestImage;
import dev.ovm.manager.image.ProjectHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ovm image pull NAME} and {@code ovm image list}: guest images that ovm knows how to fetch
 * and build ({@link GuestImage#ALL}). Pulling runs the project's build script for the image (the
 * jar does not carry the scripts; {@link ProjectHome} finds the project), streams its progress
 * lines to standard error as they come, and then says where the image and the fetched packages are
 * cached and how to boot it. An unknown name or a missing project is a usage error (status 2); a
 * failed build returns status 1.
 */
@Command(name = "image", description = "Fetch and build guest images: pull NAME, list.",
    mixinStandardHelpOptions = true, subcommands = {ImageCommand.Pull.class, ImageCommand.ListImages.class})
public final class ImageCommand implements Runnable {
  /** Exit status when the image's build script fails (e.g. the Debian archive cannot be reached). */
  public static final int BUILD_FAILED = 1;

  /** Picocli instantiates the command. */
  public ImageCommand() {}

  @Override
  public void run() {
    throw new UserError("missing image command (try 'ovm image pull debian-riscv64' or 'ovm image list')");
  }

  /** {@code ovm image pull NAME}. */
  @Command(name = "pull", description = "Fetch and build a guest image into the project's .ovm-cache/ (cached).",
      mixinStandardHelpOptions = true)
  static final class Pull implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The image, e.g. debian-riscv64 (see 'ovm image list').")
    String name = "";

    @Override
    public Integer call() {
      GuestImage image = GuestImage.named(name).orElseThrow(
          () -> new UserError("unknown image '" + name + "' (known: " + GuestImage.names() + ")"));
      Path project = projectFor(image);
      PrintWriter err = err(spec);
      err.println("ovm: pulling " + image.name() + ": " + image.description());
      err.println("ovm: running " + project.resolve(image.script()) + " (progress below)");
      int status = runScript(project, image.script(), err);
      if (status != 0 || !image.isCachedIn(project)) {
        err.println("ovm: building " + image.name() + " failed: " + image.script() + " exited with status "
            + status + " (see its messages above)");
        return BUILD_FAILED;
      }
      Path folder = image.folderIn(project);
      err.println("ovm: " + image.name() + " is cached in " + folder + " (" + String.join(", ", image.files()) + ")");
      err.println("ovm: the Debian packages it was built from are cached in " + project.resolve(".ovm-cache/debian"));
      err.println("ovm: boot it: " + image.bootCommand(project));
      return 0;
    }
  }

  /** {@code ovm image list}. */
  @Command(name = "list", description = "List the guest images ovm can pull and whether they are cached.",
      mixinStandardHelpOptions = true)
  static final class ListImages implements Callable<Integer> {
    @Spec @Nullable CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
      for (GuestImage image : GuestImage.ALL) {
        String state = ProjectHome.locate(image.script())
            .map(project -> image.isCachedIn(project)
                ? "cached in " + image.folderIn(project)
                : "not pulled (ovm image pull " + image.name() + ")")
            .orElse("cannot be pulled here: " + missingProject(image));
        out.println(image.name() + "  " + state);
        out.println("    " + image.description());
      }
      out.flush();
      return 0;
    }
  }

  private static Path projectFor(GuestImage image) {
    return ProjectHome.locate(image.script()).orElseThrow(() -> new UserError(missingProject(image)));
  }

  private static String missingProject(GuestImage image) {
    return "cannot find " + image.script() + ", which builds " + image.name()
        + "; it ships with the ovm source tree: run ovm from a checkout (./ovm) or set "
        + ProjectHome.ENVIRONMENT_VARIABLE + " to the project folder";
  }

  private static PrintWriter err(@Nullable CommandSpec spec) {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }

  /** Runs {@code script} in {@code project}, copying its output lines to {@code err} as they come. */
  private static int runScript(Path project, String script, PrintWriter err) {
    if (!Files.isRegularFile(project.resolve(script))) {
      throw new UserError("cannot find " + project.resolve(script));
    }
    try {
      Process process = new ProcessBuilder("bash", script)
          .directory(project.toFile())
          .redirectErrorStream(true)
          .start();
      process.getOutputStream().close(); // the script reads nothing from ovm's input
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          err.println("  " + line);
        }
      }
      return process.waitFor();
    } catch (IOException e) {
      throw new UserError("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return BUILD_FAILED;
    }
  }
}
