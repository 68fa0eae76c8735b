package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.VmmEvent;
import dev.ovm.vmm.pool.PoolEvent;
import org.junit.jupiter.api.Test;

/** Every VMM event becomes a QMP-shaped event message. */
class ControlEventsTest {
  private static void assertEvent(String name, String data, JsonNode message) throws Exception {
    assertEquals(name, message.get("event").asText());
    assertEquals(VmmControl.Json.MAPPER.readTree(data).toString(), message.get("data").toString());
    assertTrue(message.at("/timestamp/seconds").asLong() > 1_600_000_000L, message.toString());
    assertTrue(message.at("/timestamp/microseconds").isIntegralNumber(), message.toString());
  }

  @Test
  void eachEventHasItsNameAndData() throws Exception {
    assertEvent("VM_PAUSED", "{\"vm\":\"a\"}", ControlEvents.of(new VmmEvent.VmPaused("a")));
    assertEvent("VM_RESUMED", "{\"vm\":\"a\"}", ControlEvents.of(new VmmEvent.VmResumed("a")));
    assertEvent("VM_RESET", "{\"vm\":\"a\"}", ControlEvents.of(new VmmEvent.VmReset("a")));
    assertEvent("VM_MOVED", "{\"vm\":\"a\",\"from\":\"p0\",\"to\":\"p1\"}",
        ControlEvents.of(new VmmEvent.VmMoved("a", "p0", "p1")));
    assertEvent("VM_STOPPED", "{\"vm\":\"a\",\"reason\":\"guest_power_off\",\"exit-status\":3,\"detail\":\"fail\"}",
        ControlEvents.of(new VmmEvent.VmStopped("a", new StopReason(StopReason.Kind.GUEST_POWER_OFF, 3, "fail"))));
    assertEvent("POLICY_SWAPPED",
        "{\"pool\":\"p0\",\"from\":\"credit\",\"to\":\"fair-share\",\"time\":5,\"format\":\"PROPORTIONAL_SHARE\"}",
        ControlEvents.of(new VmmEvent.Pool(
            new PoolEvent("p0", 5, PoolEvent.Kind.SWAPPED, "credit", "fair-share", "PROPORTIONAL_SHARE"))));
    assertEvent("SWAP_REFUSED",
        "{\"pool\":\"p0\",\"from\":\"credit\",\"to\":\"edf\",\"time\":5,\"reason\":\"no format\"}",
        ControlEvents.of(new VmmEvent.Pool(
            new PoolEvent("p0", 5, PoolEvent.Kind.SWAP_REFUSED, "credit", "edf", "no format"))));
    assertEvent("WATCHDOG_REVERT",
        "{\"pool\":\"p0\",\"from\":\"edf\",\"to\":\"round-robin\",\"time\":9,\"reason\":\"pickNext threw\"}",
        ControlEvents.of(new VmmEvent.Pool(
            new PoolEvent("p0", 9, PoolEvent.Kind.WATCHDOG_REVERT, "edf", "round-robin", "pickNext threw"))));
    assertEvent("SHUTDOWN", "{}", ControlEvents.shutdown());
  }
}
