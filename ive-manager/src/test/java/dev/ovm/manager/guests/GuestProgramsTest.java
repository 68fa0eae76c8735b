package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every test guest of {@code guests/} through {@code ovm run}, exactly as a user would: each
 * prints a TAP-like line per check and powers off with status 0 only if all its checks passed.
 */
class GuestProgramsTest {

  static List<Path> testGuests() throws IOException {
    try (Stream<Path> files = Files.list(OvmRunner.GUEST_BIN)) {
      return files.filter(p -> p.getFileName().toString().matches("test-.*\\.elf")).sorted().toList();
    }
  }

  @Test
  void everyInstructionClassAndTrapAreaHasAGuest() throws IOException {
    List<String> names = testGuests().stream().map(p -> p.getFileName().toString()).toList();
    for (String area :
        List.of("rv64i", "rv64m", "rv64a", "rv64c", "zicsr", "zifencei", "traps", "interrupts", "sv39", "htif")) {
      assertTrue(names.contains("test-" + area + ".elf"), "missing guest test-" + area + ".elf in " + names);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("testGuests")
  void guestPassesAllItsChecks(Path guest) {
    OvmRunner.Result result = OvmRunner.run("run", "-kernel", guest.toString(), "--timeout", "120", "-q");
    assertFalse(result.console().contains("not ok"), result.console());
    // the guests accept a few QEMU departures from the spec but flag them; ovm must show none
    assertFalse(result.console().contains("# deviation"), result.console());
    assertTrue(result.console().contains("PASS"), "no PASS line:\n" + result.console() + result.messages());
    assertEquals(0, result.status(), result.console() + result.messages());
  }
}
