package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Asm;
import dev.ovm.cpu.Hart;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.memory.GuestMemory;
import dev.ovm.vmm.time.InstructionClock;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Harts on 8 MiB of RAM at 0x8000_0000 with the VMM's SBI installed, and a recording board: what
 * the console got, what was typed, which resets were asked for. {@link #call} makes a hart execute
 * one ECALL in S-mode with the given a7/a6/a0.. and returns a0 and a1.
 */
final class SbiFixture implements AutoCloseable {
  static final long RAM_BASE = 0x8000_0000L;
  static final long RAM_SIZE = 8L << 20;
  /** Per hart: an ECALL followed by an endless loop, at CODE + 0x100 * hart. */
  static final long CODE = RAM_BASE;
  /** An endless loop. */
  static final long PARK = RAM_BASE + 0x1000;
  static final long DATA = RAM_BASE + 0x2_0000;

  final GuestRam ram = new GuestRam(RAM_BASE, RAM_SIZE);
  final SystemBus bus = new SystemBus(ram);
  final InstructionClock clock = new InstructionClock(1);
  final List<Hart> harts = new ArrayList<>();
  final ByteArrayOutputStream console = new ByteArrayOutputStream();
  final Queue<Integer> typed = new ArrayDeque<>();
  final List<int[]> resets = new ArrayList<>();
  final Sbi sbi;

  SbiFixture(int hartCount) {
    for (int id = 0; id < hartCount; id++) {
      harts.add(new Hart(id, bus, clock));
    }
    sbi = new Sbi(new SbiPlatform() {
      @Override
      public List<Hart> harts() {
        return harts;
      }

      @Override
      public GuestMemory memory() {
        return ram;
      }

      @Override
      public void consoleWrite(byte[] bytes, int length) {
        synchronized (console) {
          console.write(bytes, 0, length);
        }
      }

      @Override
      public int consoleRead() {
        Integer b = typed.poll();
        return b == null ? -1 : b;
      }

      @Override
      public void systemReset(int type, int reason) {
        resets.add(new int[] {type, reason});
      }
    });
    place(new Asm(PARK).halt());
    for (Hart hart : harts) {
      place(new Asm(ecallAddress(hart.id())).ecall().halt());
      hart.reset(PARK);
      hart.installFirmware(sbi, true);
      hart.enterSupervisor(PARK, 0);
    }
  }

  static long ecallAddress(int hart) {
    return CODE + 0x100L * hart;
  }

  void place(Asm asm) {
    byte[] bytes = asm.bytes();
    ram.write(asm.origin(), bytes, 0, bytes.length);
  }

  Hart hart(int id) {
    return harts.get(id);
  }

  /**
   * Hart {@code id} executes an ECALL in S-mode with a7 = {@code eid}, a6 = {@code fid} and
   * a0.. = {@code args}; returns {a0, a1} afterwards.
   */
  long[] call(int id, long eid, long fid, long... args) {
    Hart hart = harts.get(id);
    jump(hart, ecallAddress(id));
    hart.setX(17, eid);
    hart.setX(16, fid);
    for (int i = 0; i < 6; i++) {
      hart.setX(10 + i, i < args.length ? args[i] : 0);
    }
    hart.run(1);
    return new long[] {hart.x(10), hart.x(11)};
  }

  /** Continues hart {@code hart} in S-mode at {@code pc}, keeping its other state. */
  static void jump(Hart hart, long pc) {
    long a0 = hart.x(10);
    long a1 = hart.x(11);
    hart.enterSupervisor(pc, a1);
    hart.setX(10, a0);
  }

  /** Runs hart {@code id} for up to {@code instructions}. */
  VcpuExit run(int id, long instructions) {
    return harts.get(id).run(instructions);
  }

  String console() {
    synchronized (console) {
      return console.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() {
    ram.close();
  }
}
