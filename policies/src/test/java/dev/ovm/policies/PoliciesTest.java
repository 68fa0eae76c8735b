package dev.ovm.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.StateFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry. */
class PoliciesTest {
  @Test
  void everyNameCreatesAFreshPolicyOfThatName() {
    assertEquals(List.of("round-robin", "credit", "fair-share", "edf", "gang", "null"), Policies.names());
    for (String name : Policies.names()) {
      Scheduler first = Policies.create(name);
      assertEquals(name, first.name());
      assertNotSame(first, Policies.create(name));
      assertTrue(first.exportFormats().contains(StateFormat.RUN_QUEUE), name);
      assertTrue(first.importFormats().contains(StateFormat.RUN_QUEUE), name);
    }
  }

  @Test
  void anUnknownNameIsAnErrorListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Policies.create("lottery"));
    assertTrue(e.getMessage().contains("credit"), e.getMessage());
  }
}
