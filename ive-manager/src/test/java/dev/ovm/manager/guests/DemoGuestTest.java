package dev.ovm.manager.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main job: {@code ovm run} with no arguments boots the embedded demo guest. */
class DemoGuestTest {

  @Test
  void runWithNoArgumentsBootsTheEmbeddedDemoAndPowersOffCleanly() {
    OvmRunner.Result result = OvmRunner.run("run");
    assertEquals(0, result.status(), result.console() + result.messages());
    assertTrue(result.console().contains("ovm demo guest"), result.console());
    assertTrue(result.messages().contains("MIPS"), result.messages());
  }

  @Test
  void lifecycleEventsAreLoggedByTheWovenAspect() {
    List<String> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(new java.util.logging.SimpleFormatter().formatMessage(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger lifecycle = Logger.getLogger("dev.ovm.lifecycle");
    lifecycle.addHandler(capture);
    try {
      OvmRunner.Result result = OvmRunner.run("run", "-q");
      assertEquals(0, result.status());
    } finally {
      lifecycle.removeHandler(capture);
    }
    assertEquals(3, records.size(), records.toString());
    assertEquals("vm0: created with 1 vCPU(s)", records.get(0));
    assertEquals("vm0: started", records.get(1));
    assertTrue(records.get(2).startsWith("vm0: stopped: test finisher: pass (exit status 0) after "), records.get(2));
  }
}
