package dev.ovm.manager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectHomeTest {
  @TempDir Path dir;

  private Path project() throws IOException {
    Path project = dir.resolve("ovm");
    Files.createDirectories(project.resolve("scripts"));
    Files.writeString(project.resolve("scripts/debian-image.sh"), "#!/bin/sh\n");
    return project;
  }

  @Test
  void theProjectIsFoundAboveTheJar() throws IOException {
    Path project = project();
    Path jarFolder = Files.createDirectories(project.resolve("ive-manager/target"));
    assertEquals(Optional.of(project.toAbsolutePath()),
        ProjectHome.find(null, "scripts/debian-image.sh", List.of(jarFolder.resolve("ovm.jar"))));
  }

  @Test
  void laterStartsAreTriedWhenTheFirstLeadsNowhere() throws IOException {
    Path project = project();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/lib"));
    Path inside = Files.createDirectories(project.resolve("guests"));
    assertEquals(Optional.of(project.toAbsolutePath()),
        ProjectHome.find("", "scripts/debian-image.sh", List.of(elsewhere, inside)));
  }

  @Test
  void ovmHomeIsTakenAsGivenAndMustHoldTheScript() throws IOException {
    Path project = project();
    Path inside = project.resolve("scripts");
    assertEquals(Optional.of(project.toAbsolutePath()),
        ProjectHome.find(project.toString(), "scripts/debian-image.sh", List.of()));
    assertTrue(ProjectHome.find(dir.resolve("empty").toString(), "scripts/debian-image.sh", List.of(inside)).isEmpty(),
        "an OVM_HOME without the script is not second-guessed");
  }

  @Test
  void nothingIsFoundOutsideAProject() throws IOException {
    Path stray = Files.createDirectories(dir.resolve("stray/deep"));
    assertTrue(ProjectHome.find(null, "scripts/no-such-script.sh", List.of(stray)).isEmpty());
  }
}
