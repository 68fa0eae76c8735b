package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovm.vmm.VmmEvent;
import dev.ovm.vmm.pool.PoolEvent;
import java.time.Instant;

/**
 * The socket's asynchronous events, QMP-shaped: {@code {"event": NAME, "data": {...},
 * "timestamp": {"seconds": S, "microseconds": US}}}. Names: {@code VM_PAUSED}, {@code
 * VM_RESUMED}, {@code VM_RESET}, {@code VM_MOVED}, {@code VM_STOPPED}, {@code POLICY_SWAPPED},
 * {@code SWAP_REFUSED}, {@code WATCHDOG_REVERT}, and {@code SHUTDOWN} when the VMM ends.
 */
public final class ControlEvents {
  private ControlEvents() {}

  /** The event message for {@code event}, stamped with the current time. */
  public static ObjectNode of(VmmEvent event) {
    ObjectNode data = VmmControl.Json.MAPPER.createObjectNode();
    String name = switch (event) {
      case VmmEvent.VmPaused e -> vm(data, e, "VM_PAUSED");
      case VmmEvent.VmResumed e -> vm(data, e, "VM_RESUMED");
      case VmmEvent.VmReset e -> vm(data, e, "VM_RESET");
      case VmmEvent.VmMoved e -> {
        data.put("vm", e.vm()).put("from", e.from()).put("to", e.to());
        yield "VM_MOVED";
      }
      case VmmEvent.VmStopped e -> {
        data.put("vm", e.vm())
            .put("reason", e.reason().kind().name().toLowerCase(java.util.Locale.ROOT))
            .put("exit-status", e.reason().exitStatus())
            .put("detail", e.reason().detail());
        yield "VM_STOPPED";
      }
      case VmmEvent.Pool p -> pool(data, p.event());
    };
    return message(name, data);
  }

  /** The {@code SHUTDOWN} event: the VMM has stopped and the socket closes. */
  public static ObjectNode shutdown() {
    return message("SHUTDOWN", VmmControl.Json.MAPPER.createObjectNode());
  }

  private static String vm(ObjectNode data, VmmEvent event, String name) {
    data.put("vm", event.vm());
    return name;
  }

  private static String pool(ObjectNode data, PoolEvent event) {
    data.put("pool", event.pool())
        .put("from", event.from())
        .put("to", event.to())
        .put("time", event.time());
    return switch (event.kind()) {
      case SWAPPED -> {
        data.put("format", event.detail());
        yield "POLICY_SWAPPED";
      }
      case SWAP_REFUSED -> {
        data.put("reason", event.detail());
        yield "SWAP_REFUSED";
      }
      case WATCHDOG_REVERT -> {
        data.put("reason", event.detail());
        yield "WATCHDOG_REVERT";
      }
    };
  }

  private static ObjectNode message(String name, ObjectNode data) {
    Instant now = Instant.now();
    ObjectNode message = VmmControl.Json.MAPPER.createObjectNode();
    message.put("event", name);
    message.set("data", data);
    message.putObject("timestamp")
        .put("seconds", now.getEpochSecond())
        .put("microseconds", now.getNano() / 1000);
    return message;
  }
}
