package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -accel}: every guest program of {@code guests/} prints the same console output and stops
 * after exactly the same number of instructions whether its hot blocks are translated (at once,
 * threshold 1, and at the default) or everything is interpreted; and the run report says how much
 * ran translated only when translation is on.
 */
class AccelTest {
  private static final Pattern STOPPED = Pattern.compile("\\[ovm\\] (\\d+) instructions in ");
  private static final Pattern SHARE =
      Pattern.compile("\\[ovm\\] ([0-9.]+) % of them in (\\d+) translated blocks");

  static List<Path> guests() throws IOException {
    List<Path> guests = new ArrayList<>(GuestProgramsTest.testGuests());
    guests.add(OvmRunner.GUEST_BIN.resolve("bench.elf"));
    return guests;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guests")
  void translationChangesNothingTheGuestSees(Path guest) {
    OvmRunner.Result interpreted = run(guest, "interp");
    assertEquals(0, interpreted.status(), interpreted.messages());
    assertFalse(SHARE.matcher(interpreted.messages()).find(), interpreted.messages());
    for (String accel : List.of("translate,threshold=1", "translate")) {
      OvmRunner.Result translated = run(guest, accel);
      assertEquals(interpreted.status(), translated.status(), accel + ": " + translated.messages());
      assertEquals(interpreted.console(), translated.console(), accel);
      assertEquals(instructions(interpreted), instructions(translated), accel);
      assertTrue(SHARE.matcher(translated.messages()).find(), translated.messages());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guests")
  void atThresholdOneMostInstructionsRunTranslated(Path guest) {
    Matcher share = SHARE.matcher(run(guest, "translate,threshold=1").messages());
    assertTrue(share.find());
    assertTrue(Long.parseLong(share.group(2)) > 0, "no block translated");
    if (guest.getFileName().toString().equals("bench.elf")) {
      assertTrue(Double.parseDouble(share.group(1)) > 90, "bench.elf is loops: " + share.group(0));
    }
  }

  private static OvmRunner.Result run(Path guest, String accel) {
    return OvmRunner.run("run", "-accel", accel, "-kernel", guest.toString(), "--timeout", "120");
  }

  private static long instructions(OvmRunner.Result result) {
    Matcher stopped = STOPPED.matcher(result.messages());
    assertTrue(stopped.find(), result.messages());
    return Long.parseLong(stopped.group(1));
  }
}
