package dev.ovm.manager.cli;

import dev.ovm.clustered.CoreSet;
import dev.ovm.cpu.Hart;
import dev.ovm.cpu.TranslationStatistics;
import dev.ovm.manager.console.ConsoleStreams;
import dev.ovm.manager.console.LinePrefix;
import dev.ovm.manager.console.SerialConsole;
import dev.ovm.manager.control.VmmControl;
import dev.ovm.manager.machine.Machine;
import dev.ovm.manager.machine.MachineBuilder;
import dev.ovm.manager.machine.MachineConfig;
import dev.ovm.manager.machine.MemoryReclaimer;
import dev.ovm.memory.MachineMemory;
import dev.ovm.policies.Policies;
import dev.ovm.vmm.RunLimits;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.time.Clock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ovm run}: boots a guest on the virt board with QEMU-shaped flags and returns the guest's
 * exit status (the test finisher's code; 0 = pass). With no arguments it boots the demo guest
 * embedded in the jar.
 */
@Command(
    name = "run",
    description = "Boot a RISC-V guest on the virt board (serial on this terminal; Ctrl-A x quits).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    separator = " ")
public final class RunCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Option(names = "-kernel", paramLabel = "FILE", description = "ELF or raw image to boot (default: the embedded demo guest).")
  @Nullable Path kernel;

  @Option(names = "-bios", paramLabel = "none|FILE", defaultValue = "none",
      description = "Firmware at 0x80000000 (the kernel then goes at 0x80200000), or none (default):"
          + " an S-mode kernel (Linux Image, or ELF entered at 0x80200000) then runs under ovm's own"
          + " SBI, anything else in M-mode.")
  String bios = "none";

  @Option(names = "-cpu", paramLabel = "rv64[,sstc=on|off]", defaultValue = "rv64",
      description = "The hart model: rv64 (RV64GC with Sstc, default) or rv64,sstc=off (no stimecmp).")
  String cpu = "rv64";

  @Option(names = "-accel", paramLabel = "translate[,threshold=N]|interp",
      defaultValue = "translate",
      description = "How harts execute guest code: translate hot blocks to JVM code after N executions"
          + " (default translate, N = " + Hart.DEFAULT_TRANSLATION_THRESHOLD + "), or interp to"
          + " interpret every instruction. Guest-visible behaviour is the same; only speed differs.")
  String accel = "translate";

  @Option(names = "-m", paramLabel = "SIZE", defaultValue = "128M", converter = SizeConverter.class,
      description = "RAM size, e.g. 128M or 1G (default: ${DEFAULT-VALUE}).")
  long memory = 128L << 20;

  @Option(names = "-smp", paramLabel = "N", defaultValue = "1", description = "Number of harts (default: 1).")
  int harts = 1;

  @Option(names = "-append", paramLabel = "ARGS", defaultValue = "", description = "Kernel command line (/chosen/bootargs).")
  String append = "";

  @Option(names = "-initrd", paramLabel = "FILE", description = "Initial RAM disk.")
  @Nullable Path initrd;

  @Option(names = "-drive", paramLabel = "file=FILE,format=raw[,readonly=on]",
      description = "A raw disk image as a virtio block device (repeatable).")
  List<String> drives = new ArrayList<>();

  @Option(names = "-device", paramLabel = "virtio-rng|virtio-console",
      description = "Another virtio device (repeatable).")
  List<String> devices = new ArrayList<>();

  @Option(names = "-no-reboot",
      description = "A guest's reboot request ends its VM (status 0) instead of resetting it (the default, as QEMU).")
  boolean noReboot;

  @Option(names = "-nographic", description = "Serial on the terminal (always the case; accepted for QEMU users).")
  boolean nographic;

  @Option(names = "--max-insns", paramLabel = "N", description = "Stop after N instructions (exit status 125).")
  @Nullable Long maxInstructions;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many wall-clock seconds (exit status 124).")
  @Nullable Double timeoutSeconds;

  @Option(names = "--clock", paramLabel = "deterministic|realtime", defaultValue = "deterministic",
      description = "Guest time source: retired instructions (reproducible, default) or the host clock.")
  String clock = "deterministic";

  @Option(names = "--vm", paramLabel = "KEY=VALUE,...",
      description = "A guest VM (repeatable): kernel=FILE,smp=N,m=SIZE,bios=FILE,append=ARGS,initrd=FILE,name=NAME and scheduling parameters such as weight=512,cap=25. Replaces -kernel/-bios/-append/-initrd.")
  List<String> vms = new ArrayList<>();

  @Option(names = "--sched", paramLabel = "POLICY", defaultValue = "round-robin",
      description = "The pool's scheduling policy: round-robin (default), credit, fair-share, edf, gang, null.")
  String sched = "round-robin";

  @Option(names = "--pcpus", paramLabel = "N",
      description = "Physical CPUs in the pool (default: one per host core).")
  @Nullable Integer pcpus;

  @Option(names = "--pool", paramLabel = "NAME:POLICY[:PCPUS]",
      description = "Another pool of physical CPUs (repeatable; default 1 CPU), empty at start: the console's 'move VM POOL' fills it.")
  List<String> extraPools = new ArrayList<>();

  @Option(names = "--swap-at", paramLabel = "INSNS:POLICY",
      description = "Swap the pool's policy when all VMs together retired INSNS instructions (repeatable).")
  List<String> swaps = new ArrayList<>();

  @Option(names = "--stats-csv", paramLabel = "FILE", description = "Also write the per-VM statistics as CSV.")
  @Nullable Path statsCsv;

  @Option(names = "--control", paramLabel = "PATH",
      description = "Listen for operator commands on this Unix-domain socket (QMP-shaped JSON; see ovm ctl, ovm console).")
  @Nullable Path control;

  @Option(names = {"-q", "--quiet"}, description = "Print only the guests' output.")
  boolean quiet;

  private final ConsoleStreams streams;

  /** A command on the process's standard streams. */
  public RunCommand() {
    this(ConsoleStreams.standard());
  }

  /** A command whose guest console uses {@code streams} (tests). */
  public RunCommand(ConsoleStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    boolean deterministic = deterministic();
    List<VmSpec> specs = vmSpecs(deterministic);
    RunLimits limits = limits();
    List<SwapSchedule.Swap> plan = new ArrayList<>();
    for (String swap : swaps) {
      plan.add(SwapSchedule.parse(swap));
    }
    Clock guestClock = MachineBuilder.clockFor(deterministic);
    Vmm vmm = new Vmm(guestClock, MachineBuilder.INSTRUCTIONS_PER_TICK);
    CpuPool pool = createPool(vmm);
    for (String extra : extraPools) {
      createExtraPool(vmm, extra);
    }
    SwapSchedule swapSchedule = new SwapSchedule(pool, plan);
    vmm.addRoundListener(swapSchedule);
    Map<Vm, StopReason> result;
    long nanos;
    List<Machine> machines = new ArrayList<>();
    List<LinePrefix> prefixes = new ArrayList<>();
    try (SerialConsole console = new SerialConsole(streams);
        MachineMemory machineMemory = machineMemoryFor(specs, vmm)) {
      try {
        IntConsumer shared = console.output();
        for (VmSpec vmSpec : specs) {
          IntConsumer sink = shared;
          if (specs.size() > 1) {
            LinePrefix prefixed = new LinePrefix(vmSpec.config().name(), shared);
            prefixes.add(prefixed);
            sink = prefixed;
          }
          machines.add(
              new MachineBuilder(vmSpec.config(), guestClock, sink, machineMemory).build());
        }
        for (int i = 0; i < machines.size(); i++) {
          Machine machine = machines.get(i);
          vmm.addVm(machine.vm(), pool);
          setParameters(pool, machine.vm().name(), specs.get(i).schedulerParameters());
        }
        if (!noReboot) {
          for (Machine machine : machines) {
            Vm vm = machine.vm();
            // the hart that asked is mid-instruction: the reset happens between rounds
            machine.onGuestReboot(() -> vmm.submit(v -> rebootVm(v, vm, machine)));
          }
        }
        vmm.addRoundListener(new MemoryReclaimer(machines));
        Machine first = machines.get(0);
        // one command executor for the Ctrl-A c monitor and the control socket
        VmmControl monitor = new VmmControl(vmm, machines, MachineBuilder.INSTRUCTIONS_PER_TICK * 10);
        console.startInput(
            b -> first.typeKey(b, vmm::kick),
            () -> machines.forEach(Machine::quit),
            monitor::executeLine);
        vmm.setAsyncInput(console.interactive() || control != null);
        long start = System.nanoTime();
        ControlEndpoint endpoint = ControlEndpoint.open(control, monitor, vmm, err(), quiet);
        try {
          result = vmm.run(limits);
        } finally {
          monitor.vmmStopped();
          endpoint.close();
        }
        nanos = System.nanoTime() - start;
      } finally {
        prefixes.forEach(LinePrefix::flush);
        for (Machine machine : machines) {
          machine.close();
        }
      }
    }
    if (!quiet) {
      PrintWriter err = err();
      swapSchedule.outcomes().forEach(line -> err.println("[ovm] " + line));
      for (String event : pool.events()) {
        if (event.contains("watchdog")) {
          err.println("[ovm] " + event);
        }
      }
      if (specs.size() > 1 || !plan.isEmpty()) {
        report(result, pool).print(err);
        // the policy's own totals (e.g. edf's deadline misses); its per-vCPU lines are gone with the VMs
        err.println("[ovm] policy at exit: " + pool.dump().lines().findFirst().orElse(pool.schedulerName()));
      }
      summary(vmm.retired(), nanos, machines);
    }
    Path csv = statsCsv;
    if (csv != null) {
      try {
        report(result, pool).writeCsv(csv);
      } catch (java.io.IOException e) {
        throw new UserError("cannot write " + csv + ": " + e.getMessage(), e);
      }
    }
    for (StopReason reason : result.values()) {
      if (reason.exitStatus() != 0) {
        return reason.exitStatus();
      }
    }
    return 0;
  }

  private static RunReport report(Map<Vm, StopReason> result, CpuPool pool) {
    return RunReport.of(result, pool.report(true), MachineBuilder.INSTRUCTIONS_PER_TICK * 10);
  }

  /**
   * The VMM's machine memory: as much as all VMs' RAM together, so on-demand population never runs
   * out; one frame pool per physical CPU of the VMM (DESIGN-NOTES 4 and 8).
   */
  private static MachineMemory machineMemoryFor(List<VmSpec> specs, Vmm vmm) {
    long bytes = 0;
    for (VmSpec spec : specs) {
      bytes += spec.config().memoryBytes();
    }
    return new MachineMemory(bytes, CoreSet.of(vmm.physicalCpus()));
  }

  private CpuPool createPool(Vmm vmm) {
    Integer requested = pcpus;
    int cpus = requested != null ? requested : Runtime.getRuntime().availableProcessors();
    if (cpus < 1 || cpus > 256) {
      throw new UserError("--pcpus must be between 1 and 256, got " + cpus);
    }
    if (!Policies.names().contains(sched)) {
      throw new UserError("unknown scheduling policy '" + sched + "' (known: "
          + String.join(", ", Policies.names()) + ")");
    }
    try {
      return vmm.createPool(
          "pool0", cpus, Policies.create(sched), () -> Policies.create(FALLBACK), WATCHDOG_LIMIT);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UserError(sched + " cannot run on " + cpus + " physical CPU(s): " + e.getMessage(), e);
    }
  }

  /** {@code --pool NAME:POLICY[:PCPUS]}. */
  private static void createExtraPool(Vmm vmm, String text) {
    String[] parts = text.split(":", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
      throw new UserError("--pool " + text + ": expected NAME:POLICY[:PCPUS], e.g. batch:credit:1");
    }
    if (!Policies.names().contains(parts[1])) {
      throw new UserError("--pool " + text + ": unknown policy '" + parts[1] + "' (known: "
          + String.join(", ", Policies.names()) + ")");
    }
    int cpus;
    try {
      cpus = parts.length == 3 ? Integer.parseInt(parts[2]) : 1;
    } catch (NumberFormatException e) {
      throw new UserError("--pool " + text + ": '" + parts[2] + "' is not a number of physical CPUs", e);
    }
    if (cpus < 1 || cpus > 256) {
      throw new UserError("--pool " + text + ": physical CPUs must be between 1 and 256, got " + cpus);
    }
    try {
      vmm.createPool(parts[0], cpus, Policies.create(parts[1]), () -> Policies.create(FALLBACK), WATCHDOG_LIMIT);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UserError("--pool " + text + ": " + e.getMessage(), e);
    }
  }

  private static void setParameters(CpuPool pool, String vm, Map<String, String> parameters) {
    try {
      pool.setParameters(vm, parameters);
    } catch (IllegalArgumentException e) {
      throw new UserError("VM " + vm + ": " + e.getMessage(), e);
    }
  }

  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }

  private boolean deterministic() {
    if (!"deterministic".equals(clock) && !"realtime".equals(clock)) {
      throw new UserError("--clock must be deterministic or realtime, got '" + clock + "'");
    }
    return "deterministic".equals(clock);
  }

  private List<VmSpec> vmSpecs(boolean deterministic) {
    int threshold = translationThreshold();
    List<VmSpec> specs = new ArrayList<>();
    for (VmSpec spec : parsedVmSpecs(deterministic)) {
      specs.add(new VmSpec(spec.config().withTranslationThreshold(threshold),
          spec.schedulerParameters()));
    }
    return specs;
  }

  /**
   * {@code -accel}: the harts' translation threshold, 0 for {@code interp}.
   *
   * @throws UserError for anything but {@code translate}, {@code translate,threshold=N} (N >= 1)
   *     or {@code interp}
   */
  private int translationThreshold() {
    if ("interp".equals(accel)) {
      return 0;
    }
    if ("translate".equals(accel)) {
      return Hart.DEFAULT_TRANSLATION_THRESHOLD;
    }
    String prefix = "translate,threshold=";
    if (accel.startsWith(prefix)) {
      try {
        int threshold = Integer.parseInt(accel.substring(prefix.length()));
        if (threshold >= 1) {
          return threshold;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new UserError("-accel must be translate, translate,threshold=N (N >= 1) or interp, got '"
        + accel + "'");
  }

  private List<VmSpec> parsedVmSpecs(boolean deterministic) {
    if (vms.isEmpty()) {
      return List.of(new VmSpec(config(deterministic), Map.of()));
    }
    if (kernel != null || !"none".equals(bios) || initrd != null || !append.isEmpty()) {
      throw new UserError("--vm replaces -kernel, -bios, -append and -initrd: give them inside each --vm");
    }
    if (!"rv64".equals(cpu)) {
      throw new UserError("-cpu applies to a single VM; with --vm every VM has the default rv64 hart");
    }
    List<VmSpec> specs = new ArrayList<>();
    for (int i = 0; i < vms.size(); i++) {
      VmSpec parsed = VmSpec.parse(vms.get(i), "vm" + i, deterministic);
      for (VmSpec other : specs) {
        if (other.config().name().equals(parsed.config().name())) {
          throw new UserError("two VMs are named " + parsed.config().name());
        }
      }
      specs.add(parsed);
    }
    return specs;
  }

  private void summary(long instructions, long nanos, List<Machine> machines) {
    PrintWriter err = err();
    double seconds = nanos / 1e9;
    err.println(
        String.format(
            Locale.ROOT,
            "[ovm] %d instructions in %.3f s: %.1f MIPS",
            instructions,
            seconds,
            seconds > 0 ? instructions / seconds / 1e6 : 0.0));
    TranslationStatistics all = null;
    for (Machine machine : machines) {
      TranslationStatistics one = machine.translationStatistics();
      if (one != null) {
        all = all == null ? one : all.plus(one);
      }
    }
    if (all != null) {
      err.println(String.format(Locale.ROOT,
          "[ovm] %.1f %% of them in %d translated blocks (%.0f ms translating)",
          instructions > 0 ? 100.0 * all.instructions() / instructions : 0.0, all.blocks(),
          all.translationNanos() / 1e6));
    }
    err.flush();
  }

  /**
   * Resets a VM whose guest asked for a reboot (an operation, run between rounds). If it cannot
   * (the VM was stopped meanwhile, or a boot image can no longer be read) the VM ends with the
   * reason.
   */
  private static void rebootVm(Vmm vmm, Vm vm, Machine machine) {
    try {
      vmm.reset(vm, machine::reset);
    } catch (RuntimeException e) {
      vm.requestStop(new StopReason(StopReason.Kind.GUEST_RESET, 0, "reboot failed: " + e.getMessage()));
    }
  }

  private MachineConfig config(boolean deterministic) {
    Optional<Path> firmware = "none".equals(bios) ? Optional.empty() : Optional.of(Path.of(bios));
    try {
      List<MachineConfig.Drive> parsedDrives = new ArrayList<>();
      for (String drive : drives) {
        parsedDrives.add(DriveSpec.parse(drive));
      }
      List<String> deviceNames = new ArrayList<>();
      for (String device : devices) {
        deviceNames.add(device.equals("virtio-rng-device") ? "virtio-rng" : device);
      }
      return new MachineConfig(
          "vm0",
          Optional.ofNullable(kernel),
          firmware,
          memory,
          harts,
          append,
          Optional.ofNullable(initrd),
          deterministic,
          parsedDrives,
          deviceNames,
          sstc());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** {@code -cpu rv64} or {@code rv64,sstc=on|off}. */
  private boolean sstc() {
    return switch (cpu) {
      case "rv64", "rv64,sstc=on" -> true;
      case "rv64,sstc=off" -> false;
      default -> throw new UserError("-cpu must be rv64, rv64,sstc=on or rv64,sstc=off, got '" + cpu + "'");
    };
  }

  private RunLimits limits() {
    Long max = maxInstructions;
    if (max != null && max < 1) {
      throw new UserError("--max-insns must be positive, got " + max);
    }
    Double timeout = timeoutSeconds;
    if (timeout != null && !(timeout > 0 && timeout < 1e9)) {
      throw new UserError("--timeout must be a positive number of seconds, got " + timeout);
    }
    return new RunLimits(
        max == null ? Long.MAX_VALUE : max,
        timeout == null ? Duration.ZERO : Duration.ofNanos((long) (timeout * 1e9)),
        RunLimits.DEFAULT_QUANTUM);
  }

  /** The policy the watchdog reverts to. */
  static final String FALLBACK = "round-robin";

  /** Instructions a runnable vCPU may wait unscheduled before the watchdog acts (1 s at 100 MIPS). */
  static final long WATCHDOG_LIMIT = 100_000_000L;
}
