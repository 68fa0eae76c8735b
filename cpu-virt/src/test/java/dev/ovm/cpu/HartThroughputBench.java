package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;

import dev.ovm.vmm.VcpuExit;

/**
 * Throughput of the interpreter on an integer-heavy loop (ALU ops, a load and a store, a taken
 * branch per iteration), in M-mode without translation and in S-mode under Sv39 (TLB hits). Not
 * a unit test: run with
 * {@code java -cp <test-classes>:<classes>:<deps> dev.ovm.cpu.HartThroughputBench [seconds]}.
 */
public final class HartThroughputBench {
  private HartThroughputBench() {}

  /**
   * Prints MIPS: {@code [seconds] [bare|sv39|both]}. Each configuration is best measured in a JVM
   * of its own, since the JIT's profile from one run shapes the code the other one gets.
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    String which = args.length > 1 ? args[1] : "both";
    if (!which.equals("sv39")) {
      System.out.printf("M-mode, bare:      %.1f MIPS%n", measure(false, seconds));
    }
    if (!which.equals("bare")) {
      System.out.printf("S-mode, Sv39 TLB:  %.1f MIPS%n", measure(true, seconds));
    }
  }

  static double measure(boolean sv39, double seconds) {
    try (HartFixture f = new HartFixture()) {
      Asm a = f.program();
      long root = HartFixture.RAM_BASE + 0x40_0000;
      long loop = HartFixture.CODE + 0x400;
      if (sv39) {
        // identity-map the 1 GiB at 0x8000_0000 with one gigapage (V R W X A D), enter S-mode
        f.store64(root + 2 * 8, (HartFixture.RAM_BASE >>> 12) << 10 | 0xCF);
        a.li(T0, 8L << 60 | root >>> 12).csrw(CsrAddress.SATP, T0);
        a.enterMode(Privilege.S, loop);
      } else {
        a.j(loop);
      }
      f.place(a);
      Asm body = new Asm(loop);
      body.li(S0, HartFixture.DATA).li(A0, Long.MAX_VALUE).li(A1, 1).li(A2, 2);
      long top = body.here();
      body.add(A1, A1, A0).op(0, 4, A2, A2, A1).slli(A3, A2, 3).srli(A4, A3, 5)
          .op(0, 7, A5, A4, A1).sd(A5, S0, 0).ld(T1, S0, 8).addi(A0, A0, -1)
          .op(0x01, 0, T2, A1, A2) // MUL
          .bne(A0, ZERO, (int) (top - (body.here())));
      f.place(body);
      f.hart.reset(HartFixture.CODE);
      long quantum = 1_000_000;
      // warm up
      long warmEnd = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        check(f.hart.run(quantum));
      }
      long startRetired = f.hart.retired();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        check(f.hart.run(quantum));
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (sv39 && f.hart.privilege() != Privilege.SUPERVISOR) {
        throw new IllegalStateException("not in S-mode: " + f.hart.privilege());
      }
      return (f.hart.retired() - startRetired) / elapsed / 1e6;
    }
  }

  private static void check(VcpuExit exit) {
    if (exit != VcpuExit.QUANTUM) {
      throw new IllegalStateException("unexpected exit " + exit);
    }
  }
}
