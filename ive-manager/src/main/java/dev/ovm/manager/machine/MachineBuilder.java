package dev.ovm.manager.machine;

import dev.ovm.cpu.Hart;
import dev.ovm.cpu.sbi.Sbi;
import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.io.device.Clint;
import dev.ovm.io.device.Htif;
import dev.ovm.io.device.Plic;
import dev.ovm.io.device.TestFinisher;
import dev.ovm.io.device.Uart16550;
import dev.ovm.io.fdt.VirtDeviceTree;
import dev.ovm.manager.cli.UserError;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.MachineMemory;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.Platform;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.time.Clock;
import dev.ovm.vmm.time.HostClock;
import dev.ovm.vmm.time.InstructionClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Builds a virt machine from a {@link MachineConfig}. {@link #build()} reads top to bottom as the
 * recipe: RAM, bus, clock, harts, devices, images, device tree, boot registers, VM.
 *
 * <p>Boot protocol (as QEMU's virt reset vector): every hart starts at the first image's entry in
 * M-mode with {@code a0} = hart id, {@code a1} = device tree address and {@code a2} = the address
 * of a {@code fw_dynamic_info} block (used by OpenSBI's fw_dynamic, ignored by everything else).
 * With {@code -bios none} and an S-mode kernel ({@link BootImages#supervisorPayload()}) the VMM is
 * the firmware instead: it serves SBI ({@link Sbi}), hart 0 enters the kernel in S-mode with
 * {@code a0} = 0 and {@code a1} = the device tree, and the other harts wait stopped for SBI HSM
 * {@code hart_start}, as OpenSBI leaves them.
 */
public final class MachineBuilder {
  /** The ISA string the device tree advertises: exactly what the hart implements. */
  public static final String ISA = "rv64imafdc_zicsr_zifencei_sstc";

  /** The ISA string of harts built with {@code -cpu rv64,sstc=off}. */
  public static final String ISA_WITHOUT_SSTC = "rv64imafdc_zicsr_zifencei";

  /** Instructions per 100 ns tick in deterministic mode: a nominal 100 MIPS hart. */
  public static final long INSTRUCTIONS_PER_TICK = 10;

  /** The clock for a VMM running machines of {@code config}'s kind. */
  public static Clock clockFor(boolean deterministic) {
    return deterministic ? new InstructionClock(INSTRUCTIONS_PER_TICK) : new HostClock();
  }

  private final MachineConfig config;
  private final Clock clock;
  private final IntConsumer console;
  private final @Nullable MachineMemory machineMemory;
  /** Where guest power-off requests go; set once the VM exists (devices are built before it). */
  private final AtomicReference<@Nullable Vm> vmRef = new AtomicReference<>();
  /**
   * What a guest's reboot request does (set through {@link Machine#onGuestReboot}); while null, a
   * reboot ends the VM as a power-off does.
   */
  private final AtomicReference<@Nullable Runnable> rebootRef = new AtomicReference<>();

  /**
   * Prepares a builder.
   *
   * @param config what to build
   * @param clock the clock of the VMM the machine will run in (shared by all its VMs)
   * @param console the sink for the UART's (and HTIF's) output
   */
  public MachineBuilder(MachineConfig config, Clock clock, IntConsumer console) {
    this(config, clock, console, null);
  }

  /**
   * Prepares a builder whose machine takes its RAM's frames from the VMM's machine memory.
   *
   * @param machineMemory the VMM's machine memory (shared by its VMs), or null for RAM with machine
   *     memory of its own
   */
  public MachineBuilder(
      MachineConfig config, Clock clock, IntConsumer console, @Nullable MachineMemory machineMemory) {
    this.config = config;
    this.clock = clock;
    this.console = console;
    this.machineMemory = machineMemory;
  }

  /**
   * Builds the machine, ready to run.
   *
   * @throws UserError if an image is missing, malformed or does not fit in RAM
   */
  public Machine build() {
    MachineMemory shared = machineMemory;
    GuestRam ram = shared == null
        ? new GuestRam(VirtMemoryMap.DRAM_BASE, config.memoryBytes())
        : new GuestRam(VirtMemoryMap.DRAM_BASE, config.memoryBytes(), shared);
    try {
      SystemBus bus = new SystemBus(ram);
      List<Hart> harts = createHarts(bus, clock);
      Consumer<StopReason> powerOff = this::stopVm;
      attachTestFinisher(bus, powerOff);
      Clint clint = attachClint(bus, clock, harts);
      Plic plic = attachPlic(bus, harts);
      Uart16550 uart = attachUart(bus, plic);
      VirtioDevices virtio = VirtioDevices.attach(config, bus, plic, ram, console);
      Boot first = boot(ram, harts);
      BootImages images = first.images();
      SbiBoard sbiBoard = null;
      Sbi sbi = null;
      if (images.supervisorPayload()) {
        SbiBoard board = new SbiBoard(harts, ram, console, powerOff);
        Sbi served = new Sbi(board);
        startUnderSbi(harts, served, images.entry(), first.dtb());
        sbiBoard = board;
        sbi = served;
      }
      Htif htif = htifFor(images, ram, powerOff);
      Platform platform = new BoardTimers(clint, harts, htif);
      Vm vm = new Vm(config.name(), List.<Vcpu>copyOf(harts), clock, platform);
      vmRef.set(vm);
      Sbi firmware = sbi;
      MachineReset reset = new MachineReset(config, ram, uart, virtio, clint, htif, plic, () -> {
        Boot again = boot(ram, harts);
        if (firmware != null) {
          startUnderSbi(harts, firmware, again.images().entry(), again.dtb());
        }
      });
      return new Machine(vm, ram, uart, virtio, sbiBoard, reset, rebootRef);
    } catch (RuntimeException e) {
      ram.close();
      throw e;
    }
  }

  /** What {@link #boot} loaded: the images and where the device tree went. */
  private record Boot(BootImages images, long dtb) {}

  /**
   * Loads the boot images and the device tree into {@code ram} and points every hart at the entry
   * with the boot protocol's registers; also what a reset repeats.
   */
  private Boot boot(GuestRam ram, List<Hart> harts) {
    BootImages images = BootImages.load(config, ram);
    long dtb = placeDeviceTree(ram, images);
    long dynamicInfo = FwDynamicInfo.write(ram, dtb, images);
    resetHarts(harts, images.entry(), dtb, dynamicInfo);
    return new Boot(images, dtb);
  }

  private List<Hart> createHarts(SystemBus bus, Clock clock) {
    List<Hart> harts = new ArrayList<>();
    for (int id = 0; id < config.harts(); id++) {
      Hart hart = new Hart(id, bus, clock);
      hart.setSstc(config.sstc());
      hart.setTranslationThreshold(config.translationThreshold());
      harts.add(hart);
    }
    return harts;
  }

  private static void attachTestFinisher(SystemBus bus, Consumer<StopReason> powerOff) {
    bus.attach(VirtMemoryMap.TEST_BASE, new TestFinisher(powerOff));
  }

  private static Clint attachClint(SystemBus bus, Clock clock, List<Hart> harts) {
    Clint clint = new Clint(clock, lines(harts, Interrupts.MSIP), lines(harts, Interrupts.MTIP));
    bus.attach(VirtMemoryMap.CLINT_BASE, clint);
    return clint;
  }

  private static Plic attachPlic(SystemBus bus, List<Hart> harts) {
    Plic plic = new Plic(lines(harts, Interrupts.MEIP), lines(harts, Interrupts.SEIP));
    bus.attach(VirtMemoryMap.PLIC_BASE, plic);
    return plic;
  }

  private Uart16550 attachUart(SystemBus bus, Plic plic) {
    Uart16550 uart = new Uart16550(console, plic.source(VirtMemoryMap.UART0_IRQ));
    bus.attach(VirtMemoryMap.UART0_BASE, uart);
    return uart;
  }

  private long placeDeviceTree(GuestRam ram, BootImages images) {
    byte[] blob = deviceTree(config, images.initrd());
    long address;
    try {
      address = VirtDeviceTree.placement(ram.baseAddress(), ram.size(), blob.length);
    } catch (IllegalArgumentException e) {
      throw new UserError("RAM of " + ram.size() / 1024 + "K is too small for the device tree", e);
    }
    images.checkFree(address, blob.length, "the device tree");
    ram.write(address, blob, 0, blob.length);
    return address;
  }

  /**
   * The device tree blob for {@code config}, with the initial RAM disk at {@code initrd} if given.
   */
  public static byte[] deviceTree(MachineConfig config, VirtDeviceTree.@Nullable Initrd initrd) {
    return VirtDeviceTree.build(
        new VirtDeviceTree.Config(
            config.harts(),
            config.sstc() ? ISA : ISA_WITHOUT_SSTC,
            VirtMemoryMap.DRAM_BASE,
            config.memoryBytes(),
            config.bootargs(),
            initrd,
            VirtMemoryMap.VIRTIO_COUNT));
  }

  private static void resetHarts(List<Hart> harts, long entry, long dtb, long dynamicInfo) {
    for (Hart hart : harts) {
      hart.reset(entry);
      hart.setX(Interrupts.A0, hart.id());
      hart.setX(Interrupts.A1, dtb);
      hart.setX(Interrupts.A2, dynamicInfo);
    }
  }

  /**
   * Makes the VMM the harts' M-mode firmware (SBI spec v2.0): hart 0 enters the kernel at {@code
   * entry} in S-mode with the device tree in {@code a1}; the others stop until SBI HSM starts them.
   * Also what a reset repeats, with the same {@code sbi}.
   */
  private void startUnderSbi(List<Hart> harts, Sbi sbi, long entry, long dtb) {
    for (Hart hart : harts) {
      hart.installFirmware(sbi, config.sstc());
      if (hart.id() == 0) {
        hart.enterSupervisor(entry, dtb);
      } else {
        hart.stop();
      }
    }
  }

  private @Nullable Htif htifFor(BootImages images, GuestRam ram, Consumer<StopReason> powerOff) {
    Long tohost = images.tohost();
    if (tohost == null) {
      return null;
    }
    Long fromhost = images.fromhost();
    return fromhost == null
        ? new Htif(ram, tohost, console, powerOff)
        : new Htif(ram, tohost, fromhost, console, powerOff);
  }

  /**
   * A guest's power-off or reboot request (test finisher, HTIF, SBI SRST). A reboot goes to the
   * machine's reboot handler if one is set (the VM is reset and boots again), else it ends the VM.
   */
  private void stopVm(StopReason reason) {
    Runnable reboot = rebootRef.get();
    if (reason.kind() == StopReason.Kind.GUEST_RESET && reboot != null) {
      reboot.run();
      return;
    }
    Vm vm = vmRef.get();
    if (vm != null) {
      vm.requestStop(reason);
    }
  }

  private static List<IrqLine> lines(List<Hart> harts, int mipBit) {
    List<IrqLine> lines = new ArrayList<>();
    for (Hart hart : harts) {
      lines.add(hart.interruptLine(mipBit));
    }
    return lines;
  }

  /** mip bit numbers (Priv spec 3.1.9) and argument registers of the boot protocol. */
  private static final class Interrupts {
    static final int MSIP = 3;
    static final int MTIP = 7;
    static final int SEIP = 9;
    static final int MEIP = 11;
    static final int A0 = 10;
    static final int A1 = 11;
    static final int A2 = 12;
  }
}
