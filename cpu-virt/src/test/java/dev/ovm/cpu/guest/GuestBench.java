package dev.ovm.cpu.guest;

import java.nio.file.Path;

/**
 * Runs guests/bin/bench.elf (the project's CoreMark-like benchmark, about 401 M instructions) on
 * one hart and prints its console output and the MIPS it reached. Not a unit test: run with
 * {@code java -cp <test-classes>:<classes>:<deps> dev.ovm.cpu.guest.GuestBench [path]} from the
 * cpu-virt directory.
 */
public final class GuestBench {
  private GuestBench() {}

  /** Runs the benchmark guest once and prints the result. */
  public static void main(String[] args) throws Exception {
    Path elf = Path.of(args.length > 0 ? args[0] : "../guests/bin/bench.elf");
    try (MiniBoard board = new MiniBoard()) {
      board.hart.reset(board.loadElf(elf));
      long start = System.nanoTime();
      long exit = board.run(2_000_000_000L);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.print(board.console);
      System.out.printf("exit %d, %d instructions in %.2f s: %.1f MIPS%n",
          exit, board.hart.retired(), seconds, board.hart.retired() / seconds / 1e6);
    }
  }
}
