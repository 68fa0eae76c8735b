package dev.ovm.cpu.guest;

import dev.ovm.cpu.Hart;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.device.MmioDevice;
import dev.ovm.vmm.time.InstructionClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Just enough of QEMU's {@code virt} board to run the bare-metal guest tests against one hart:
 * 128 MiB of RAM at 0x8000_0000, an always-ready UART transmitter at 0x1000_0000, the SiFive
 * test finisher at 0x10_0000 and a CLINT at 0x200_0000 (msip, mtimecmp, mtime from a
 * deterministic clock). Test scaffolding only: the real devices live in io-virt.
 */
final class MiniBoard implements AutoCloseable {
  static final long RAM_BASE = 0x8000_0000L;

  final GuestRam ram = new GuestRam(RAM_BASE, 128L << 20);
  final SystemBus bus = new SystemBus(ram);
  final InstructionClock clock = new InstructionClock(10);
  final Hart hart = new Hart(0, bus, clock);
  final StringBuilder console = new StringBuilder();
  private long mtimecmp = -1;
  private boolean msip;
  private long exitCode = -1;

  MiniBoard() {
    bus.attach(0x1000_0000L, device("uart", 0x100, this::uartRead, this::uartWrite));
    bus.attach(0x10_0000L, device("finisher", 0x1000, (o, w) -> 0, (o, w, v) -> {
      if ((v & 0xFFFF) == 0x5555 || (v & 0xFFFF) == 0x3333) {
        exitCode = (v & 0xFFFF) == 0x5555 ? 0 : v >>> 16;
      }
    }));
    bus.attach(0x200_0000L, device("clint", 0x1_0000, this::clintRead, this::clintWrite));
  }

  interface Reader {
    long read(long offset, int width);
  }

  interface Writer {
    void write(long offset, int width, long value);
  }

  private static MmioDevice device(String name, long size, Reader reader, Writer writer) {
    return new MmioDevice() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public long read(long offset, int width) {
        return reader.read(offset, width);
      }

      @Override
      public void write(long offset, int width, long value) {
        writer.write(offset, width, value);
      }
    };
  }

  private long uartRead(long offset, int width) {
    return offset == 5 ? 0x60 : 0; // LSR: THRE | TEMT
  }

  private void uartWrite(long offset, int width, long value) {
    if (offset == 0) {
      console.append((char) (value & 0xFF));
    }
  }

  private long clintRead(long offset, int width) {
    if (offset == 0) {
      return msip ? 1 : 0;
    } else if (offset == 0x4000) {
      return width == 4 ? mtimecmp & 0xFFFF_FFFFL : mtimecmp;
    } else if (offset == 0x4004) {
      return mtimecmp >>> 32;
    } else if (offset == 0xBFF8) {
      return width == 4 ? clock.now() & 0xFFFF_FFFFL : clock.now();
    } else if (offset == 0xBFFC) {
      return clock.now() >>> 32;
    }
    return 0; // other harts' msip/mtimecmp: there are none
  }

  private void clintWrite(long offset, int width, long value) {
    if (offset == 0) {
      msip = (value & 1) != 0;
    } else if (offset == 0x4000) {
      mtimecmp = width == 4 ? (mtimecmp & ~0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL) : value;
    } else if (offset == 0x4004) {
      mtimecmp = (mtimecmp & 0xFFFF_FFFFL) | value << 32;
    }
    updateLines();
  }

  private void updateLines() {
    hart.interruptLine(3).set(msip);
    hart.interruptLine(7).set(Long.compareUnsigned(clock.now(), mtimecmp) >= 0);
  }

  /** Loads the PT_LOAD segments of an ELF64 file at their physical addresses; returns the entry. */
  long loadElf(Path file) throws IOException {
    ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long entry = elf.getLong(0x18);
    long phoff = elf.getLong(0x20);
    int phentsize = elf.getShort(0x36);
    int phnum = elf.getShort(0x38);
    for (int i = 0; i < phnum; i++) {
      int ph = (int) (phoff + (long) i * phentsize);
      if (elf.getInt(ph) != 1) {
        continue;
      }
      long offset = elf.getLong(ph + 8);
      long paddr = elf.getLong(ph + 24);
      long filesz = elf.getLong(ph + 32);
      ram.write(paddr, elf.array(), (int) offset, (int) filesz);
    }
    return entry;
  }

  /** Copies a raw image (firmware, payload, device tree) into RAM at guest-physical {@code address}. */
  void loadRaw(byte[] image, long address) {
    ram.write(address, image, 0, image.length);
  }

  /** Runs until the finisher is written, the hart fails, or maxInstructions retire. */
  long run(long maxInstructions) {
    while (exitCode < 0 && hart.retired() < maxInstructions) {
      long before = hart.retired();
      VcpuExit exit = hart.run(10_000);
      clock.retired(hart.retired() - before);
      updateLines();
      if (exit instanceof VcpuExit.Fatal fatal) {
        throw new AssertionError(fatal.reason() + "\n" + console);
      }
      if (exitCode < 0 && exit == VcpuExit.WFI && !hart.wakeable()) {
        if (mtimecmp < 0) {
          throw new AssertionError("WFI with no timer armed\n" + console);
        }
        clock.idleUntil(mtimecmp);
        updateLines();
      }
    }
    return exitCode;
  }

  @Override
  public void close() {
    ram.close();
  }
}
