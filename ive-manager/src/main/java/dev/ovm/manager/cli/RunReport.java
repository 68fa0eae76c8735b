package dev.ovm.manager.cli;

import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.pool.VcpuReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-VM table {@code ovm run} prints at exit (and writes as CSV with {@code --stats-csv}):
 * instructions retired, share of all instructions, context switches, wake-up latency percentiles in
 * microseconds of guest time, and how the VM ended.
 */
public final class RunReport {
  /**
   * One VM's line.
   *
   * @param vm name
   * @param vcpus number of vCPUs
   * @param retired instructions retired
   * @param sharePercent share of all VMs' instructions, in percent
   * @param switches context switches in (scheduling decisions that started one of its vCPUs)
   * @param wakeP50 median wake-up latency, microseconds of guest time (NaN: no wake-ups)
   * @param wakeP95 95th percentile
   * @param wakeP99 99th percentile
   * @param status exit status, or -1 for a VM that has not ended
   * @param ending how it ended, or the state of a VM that has not ended
   */
  public record Row(String vm, int vcpus, long retired, double sharePercent, long switches,
      double wakeP50, double wakeP95, double wakeP99, int status, String ending) {}

  private final List<Row> rows;

  private RunReport(List<Row> rows) {
    this.rows = rows;
  }

  /** Builds the report from the VMs' end states and the pool's per-vCPU statistics. */
  static RunReport of(Map<Vm, StopReason> stopped, Map<String, VcpuReport> vcpus, long instructionsPerMicrosecond) {
    return live(new java.util.LinkedHashMap<Vm, @Nullable StopReason>(stopped), vcpus, instructionsPerMicrosecond);
  }

  /**
   * The report of a run still going on: {@code vms} maps each VM to how it ended, or to null if
   * it has not ended (its row then shows its state and status -1).
   */
  public static RunReport live(
      Map<Vm, @Nullable StopReason> vms, Map<String, VcpuReport> vcpus, long instructionsPerMicrosecond) {
    long total = 0;
    for (Vm vm : vms.keySet()) {
      total += vm.retired();
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Vm, @Nullable StopReason> entry : vms.entrySet()) {
      Vm vm = entry.getKey();
      StopReason reason = entry.getValue();
      long switches = 0;
      List<Long> latencies = new ArrayList<>();
      for (VcpuReport r : vcpus.values()) {
        if (r.vm().equals(vm.name())) {
          switches += r.switchesIn();
          latencies.addAll(r.wakeLatencies());
        }
      }
      List<Long> sorted = new ArrayList<>(latencies);
      java.util.Collections.sort(sorted);
      rows.add(new Row(vm.name(), vm.vcpus().size(), vm.retired(),
          total == 0 ? 0 : 100.0 * vm.retired() / total, switches,
          percentile(sorted, 50, instructionsPerMicrosecond),
          percentile(sorted, 95, instructionsPerMicrosecond),
          percentile(sorted, 99, instructionsPerMicrosecond),
          reason == null ? -1 : reason.exitStatus(),
          reason == null ? vm.state().name().toLowerCase(Locale.ROOT) : reason.detail()));
    }
    return new RunReport(rows);
  }

  /** Nearest-rank percentile of sorted instruction counts, in microseconds; NaN if empty. */
  static double percentile(List<Long> sorted, int p, long instructionsPerMicrosecond) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return (double) quantile(sorted, p) / instructionsPerMicrosecond;
  }

  /** Nearest-rank percentile {@code p} of sorted values (0 for an empty list). */
  static long quantile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** The rows, in the order the VMs were given. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Prints the table. */
  public void print(PrintWriter out) {
    out.println(String.format(Locale.ROOT, "%-12s %5s %14s %7s %9s %10s %10s %10s %6s  %s",
        "vm", "vcpus", "instructions", "share%", "switches", "wake-p50", "wake-p95", "wake-p99", "status", "ended"));
    for (Row r : rows) {
      out.println(String.format(Locale.ROOT, "%-12s %5d %14d %7.2f %9d %10s %10s %10s %6s  %s",
          r.vm(), r.vcpus(), r.retired(), r.sharePercent(), r.switches(),
          micros(r.wakeP50()), micros(r.wakeP95()), micros(r.wakeP99()),
          r.status() < 0 ? "-" : Integer.toString(r.status()), r.ending()));
    }
    out.flush();
  }

  private static String micros(double us) {
    return Double.isNaN(us) ? "-" : String.format(Locale.ROOT, "%.1fus", us);
  }

  /** Writes the table as CSV (header line, one line per VM). */
  void writeCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("vm,vcpus,instructions,share_percent,switches,wake_p50_us,wake_p95_us,wake_p99_us,status,ended");
    for (Row r : rows) {
      lines.add(String.join(",", Arrays.asList(
          r.vm(), Integer.toString(r.vcpus()), Long.toString(r.retired()),
          String.format(Locale.ROOT, "%.4f", r.sharePercent()), Long.toString(r.switches()),
          csv(r.wakeP50()), csv(r.wakeP95()), csv(r.wakeP99()), Integer.toString(r.status()),
          "\"" + r.ending().replace("\"", "\"\"") + "\"")));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static String csv(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
  }
}
