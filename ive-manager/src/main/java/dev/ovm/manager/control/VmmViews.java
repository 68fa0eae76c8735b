package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovm.cpu.TranslationStatistics;
import dev.ovm.manager.cli.RunReport;
import dev.ovm.manager.machine.Machine;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.pool.PoolStats;
import dev.ovm.vmm.pool.VcpuReport;
import dev.ovm.vmm.sched.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The read-only commands ({@code info ...}, {@code stats}) and the name look-ups the others
 * share. Runs on the VMM's run thread (see {@link VmmControl}).
 */
final class VmmViews {
  private static final ObjectMapper JSON = VmmControl.Json.MAPPER;

  private final Vmm vmm;
  /** The machines given, by their VM, in the order given. */
  private final Map<Vm, Machine> machineOf = new LinkedHashMap<>();
  private final long instructionsPerMicrosecond;

  VmmViews(Vmm vmm, List<Machine> machines, long instructionsPerMicrosecond) {
    this.vmm = vmm;
    for (Machine machine : machines) {
      machineOf.put(machine.vm(), machine);
    }
    this.instructionsPerMicrosecond = instructionsPerMicrosecond;
  }

  /** A VM that is running or paused in the VMM. */
  Vm liveVm(String name) {
    for (Vm vm : vmm.placement().keySet()) {
      if (vm.name().equals(name)) {
        return vm;
      }
    }
    for (Vm vm : vmm.stopped().keySet()) {
      if (vm.name().equals(name)) {
        throw new ControlError("VM " + name + " has ended");
      }
    }
    throw noVm(name);
  }

  /** Any VM of this run, also one that ended. */
  Vm anyVm(String name) {
    for (Vm vm : known()) {
      if (vm.name().equals(name)) {
        return vm;
      }
    }
    throw noVm(name);
  }

  private ControlError noVm(String name) {
    List<String> names = new ArrayList<>();
    for (Vm vm : known()) {
      names.add(vm.name());
    }
    return new ControlError("no VM named '" + name + "' (VMs: " + String.join(", ", names) + ")");
  }

  /** Every VM: the machines given, then any other the VMM runs or ran. */
  private List<Vm> known() {
    List<Vm> vms = new ArrayList<>(machineOf.keySet());
    for (Vm vm : vmm.placement().keySet()) {
      if (!vms.contains(vm)) {
        vms.add(vm);
      }
    }
    for (Vm vm : vmm.stopped().keySet()) {
      if (!vms.contains(vm)) {
        vms.add(vm);
      }
    }
    return vms;
  }

  CpuPool pool(String name) {
    for (CpuPool pool : vmm.pools()) {
      if (pool.name().equals(name)) {
        return pool;
      }
    }
    List<String> names = new ArrayList<>();
    vmm.pools().forEach(p -> names.add(p.name()));
    throw new ControlError("no pool named '" + name + "' (pools: " + String.join(", ", names) + ")");
  }

  CpuPool poolOf(Vm vm) {
    CpuPool pool = vmm.placement().get(vm);
    if (pool == null) {
      throw new ControlError("VM " + vm.name() + " has ended");
    }
    return pool;
  }

  /** running, paused, or the stop reason's kind for an ended VM, in lower case. */
  static String stateName(Vm vm) {
    return vm.state().name().toLowerCase(Locale.ROOT);
  }

  Reply vms() {
    ArrayNode list = JSON.createArrayNode();
    StringBuilder text = new StringBuilder(
        String.format(Locale.ROOT, "%-12s %-8s %5s %-10s %14s", "vm", "state", "vcpus", "pool", "instructions"));
    Map<Vm, dev.ovm.vmm.pool.CpuPool> placement = vmm.placement();
    for (Vm vm : known()) {
      CpuPool pool = placement.get(vm);
      String poolName = pool == null ? "-" : pool.name();
      ObjectNode entry = list.addObject();
      entry.put("name", vm.name());
      entry.put("state", stateName(vm));
      entry.put("vcpus", vm.vcpus().size());
      putOrNull(entry, "pool", pool == null ? null : pool.name());
      entry.put("instructions", vm.retired());
      text.append(String.format(Locale.ROOT, "%n%-12s %-8s %5d %-10s %14d",
          vm.name(), stateName(vm), vm.vcpus().size(), poolName, vm.retired()));
    }
    return new Reply(list, text.toString());
  }

  Reply pools() {
    ArrayNode list = JSON.createArrayNode();
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-10s %5s %-12s %s", "pool", "pcpus", "policy", "vms"));
    Map<Vm, CpuPool> placement = vmm.placement();
    for (CpuPool pool : vmm.pools()) {
      List<String> members = new ArrayList<>();
      placement.forEach((vm, p) -> {
        if (p == pool) {
          members.add(vm.name());
        }
      });
      PoolStats stats = pool.stats();
      ObjectNode entry = list.addObject();
      entry.put("name", pool.name());
      entry.put("pcpus", pool.physicalCpus());
      entry.put("policy", pool.schedulerName());
      ArrayNode vms = entry.putArray("vms");
      members.forEach(vms::add);
      entry.put("instructions", stats.retired());
      entry.put("idle", stats.idle());
      entry.put("decisions", stats.decisions());
      Map<String, String> poolWide = pool.parameters(Scheduler.POOL);
      entry.set("parameters", JSON.valueToTree(new LinkedHashMap<>(poolWide)));
      text.append(String.format(Locale.ROOT, "%n%-10s %5d %-12s %s",
          pool.name(), pool.physicalCpus(), pool.schedulerName(), String.join(" ", members)));
      if (!poolWide.isEmpty()) {
        text.append("  (").append(parameterText(poolWide)).append(')');
      }
    }
    return new Reply(list, text.toString());
  }

  Reply vm(Vm vm) {
    CpuPool pool = vmm.placement().get(vm);
    StopReason ended = vmm.stopped().get(vm);
    Map<String, String> parameters = pool == null ? Map.of() : pool.parameters(vm.name());
    ObjectNode data = JSON.createObjectNode();
    data.put("name", vm.name());
    data.put("state", stateName(vm));
    data.put("vcpus", vm.vcpus().size());
    putOrNull(data, "pool", pool == null ? null : pool.name());
    putOrNull(data, "policy", pool == null ? null : pool.schedulerName());
    data.put("instructions", vm.retired());
    data.set("parameters", JSON.valueToTree(new LinkedHashMap<>(parameters)));
    StringBuilder text = new StringBuilder();
    text.append("vm:           ").append(vm.name())
        .append("\nstate:        ").append(stateName(vm))
        .append("\nvcpus:        ").append(vm.vcpus().size())
        .append("\npool:         ").append(pool == null ? "-" : pool.name() + " (" + pool.schedulerName() + ")")
        .append("\ninstructions: ").append(vm.retired())
        .append("\nparameters:   ").append(parameters.isEmpty() ? "-" : parameterText(parameters));
    Machine machine = machineOf.get(vm);
    TranslationStatistics translation = machine == null ? null : machine.translationStatistics();
    if (translation == null) {
      data.putNull("translation");
      text.append("\ntranslation:  off (-accel interp)");
    } else {
      // read while the harts run: the counts may lag by the blocks in flight
      ObjectNode node = data.putObject("translation");
      node.put("blocks", translation.blocks());
      node.put("instructions", translation.instructions());
      node.put("revalidated", translation.revalidated());
      node.put("dropped", translation.dropped());
      node.put("translation-ms", translation.translationNanos() / 1_000_000);
      long retired = Math.max(1, vm.retired());
      text.append("\ntranslation:  ").append(translation.blocks()).append(" blocks, ")
          .append(String.format(Locale.ROOT, "%.1f",
              Math.min(100.0, 100.0 * translation.instructions() / retired)))
          .append(" % of instructions in them");
    }
    if (ended != null) {
      data.put("exit-status", ended.exitStatus());
      data.put("ended", ended.detail());
      text.append("\nended:        ").append(ended.detail()).append(" (status ").append(ended.exitStatus()).append(')');
    }
    return new Reply(data, text.toString());
  }

  /** {@code key=value} pairs in key order. */
  static String parameterText(Map<String, String> parameters) {
    List<String> pairs = new ArrayList<>();
    new java.util.TreeMap<>(parameters).forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(" ", pairs);
  }

  Reply stats() {
    Map<String, VcpuReport> vcpus = new LinkedHashMap<>();
    for (CpuPool pool : vmm.pools()) {
      vcpus.putAll(pool.report(true));
    }
    Map<Vm, @Nullable StopReason> vms = new LinkedHashMap<>();
    Map<Vm, StopReason> stopped = vmm.stopped();
    for (Vm vm : known()) {
      vms.put(vm, stopped.get(vm));
    }
    RunReport report = RunReport.live(vms, vcpus, instructionsPerMicrosecond);
    java.io.StringWriter out = new java.io.StringWriter();
    report.print(new java.io.PrintWriter(out));
    ArrayNode rows = JSON.createArrayNode();
    for (RunReport.Row row : report.rows()) {
      ObjectNode entry = rows.addObject();
      entry.put("vm", row.vm());
      entry.put("vcpus", row.vcpus());
      entry.put("instructions", row.retired());
      entry.put("share-percent", row.sharePercent());
      entry.put("switches", row.switches());
      putMicros(entry, "wake-p50-us", row.wakeP50());
      putMicros(entry, "wake-p95-us", row.wakeP95());
      putMicros(entry, "wake-p99-us", row.wakeP99());
      entry.put("state", row.ending());
      if (row.status() >= 0) {
        entry.put("exit-status", row.status());
      }
    }
    return new Reply(rows, out.toString().stripTrailing());
  }

  private static void putOrNull(ObjectNode node, String key, @Nullable String value) {
    if (value == null) {
      node.putNull(key);
    } else {
      node.put(key, value);
    }
  }

  private static void putMicros(ObjectNode entry, String key, double value) {
    if (Double.isNaN(value)) {
      entry.putNull(key);
    } else {
      entry.put(key, value);
    }
  }
}
