package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.time.InstructionClock;

/**
 * A hart on 8 MiB of RAM at 0x8000_0000 (the virt board's DRAM base). Programs go at
 * {@link #CODE}; {@link #HALT} holds an endless loop and is the default trap vector, so a test
 * runs until the program halts or traps and then inspects the state.
 */
final class HartFixture implements AutoCloseable {
  static final long RAM_BASE = 0x8000_0000L;
  static final long RAM_SIZE = 8L << 20;
  static final long CODE = RAM_BASE;
  static final long HALT = RAM_BASE + 0x1_0000;
  static final long DATA = RAM_BASE + 0x2_0000;
  /** An endless loop that program() installs as stvec. */
  static final long S_HALT = RAM_BASE + 0x1_0200;

  final GuestRam ram = new GuestRam(RAM_BASE, RAM_SIZE);
  final SystemBus bus = new SystemBus(ram);
  final InstructionClock clock = new InstructionClock(1);
  final Hart hart = new Hart(0, bus, clock);

  HartFixture() {
    place(new Asm(HALT).halt());
    place(new Asm(S_HALT).halt());
    hart.reset(CODE);
  }

  Asm asm() {
    return new Asm(CODE);
  }

  /** Writes assembled code at its origin. */
  void place(Asm asm) {
    byte[] bytes = asm.bytes();
    ram.write(asm.origin(), bytes, 0, bytes.length);
  }

  /**
   * Places {@code program} at CODE, prefixed by "mtvec = HALT", resets and runs until the hart
   * sits in an endless loop (at most 100 000 instructions).
   */
  VcpuExit run(Asm program) {
    place(program);
    hart.reset(CODE);
    return runMore();
  }

  VcpuExit runMore() {
    VcpuExit exit = VcpuExit.QUANTUM;
    for (int i = 0; i < 100 && exit == VcpuExit.QUANTUM; i++) {
      long before = hart.pc();
      exit = hart.run(1000);
      if (exit == VcpuExit.QUANTUM && hart.pc() == before && isHaltLoop(before)) {
        break;
      }
    }
    return exit;
  }

  private boolean isHaltLoop(long pc) {
    long offset = ram.offsetOf(pc, 4);
    return offset >= 0 && ram.load32(offset) == 0x6F;
  }

  /** A program start that points mtvec at HALT and stvec at S_HALT. */
  Asm program() {
    Asm a = asm();
    a.li(Asm.T0, HALT);
    a.csrw(CsrAddress.MTVEC, Asm.T0);
    a.li(Asm.T0, S_HALT);
    a.csrw(CsrAddress.STVEC, Asm.T0);
    return a;
  }

  /** Asserts that the hart trapped to S-mode with this cause and tval and sits at S_HALT. */
  void assertSupervisorTrap(long cause, long tval) {
    assertEquals(S_HALT, hart.pc(), "pc at the S trap vector");
    assertEquals(cause, hart.csr(CsrAddress.SCAUSE), "scause");
    assertEquals(tval, hart.csr(CsrAddress.STVAL), "stval");
    assertEquals(Privilege.SUPERVISOR, hart.privilege());
  }

  /** Asserts that the hart trapped to M-mode with this cause and tval and sits at HALT. */
  void assertTrap(int cause, long tval) {
    assertEquals(HALT, hart.pc(), "pc at the M trap vector");
    assertEquals(cause, hart.csr(CsrAddress.MCAUSE), "mcause");
    assertEquals(tval, hart.csr(CsrAddress.MTVAL), "mtval");
    assertEquals(Privilege.MACHINE, hart.privilege());
  }

  long load64(long pa) {
    return bus.load(pa, 8);
  }

  void store64(long pa, long value) {
    bus.store(pa, 8, value);
  }

  @Override
  public void close() {
    ram.close();
  }
}
