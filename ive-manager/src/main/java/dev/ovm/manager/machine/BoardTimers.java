package dev.ovm.manager.machine;

import dev.ovm.cpu.Hart;
import dev.ovm.io.device.Clint;
import dev.ovm.io.device.Htif;
import dev.ovm.vmm.Platform;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The board's clock-driven side for the VM run loop: the CLINT's {@code mtimecmp}s, each hart's
 * supervisor timer ({@code stimecmp}, Sstc, or the VMM's SBI TIME), and HTIF polling. The next
 * deadline is the earliest of them, so an idle VM on a deterministic clock jumps to whichever
 * timer fires first. Thread-safe: the parts are.
 */
final class BoardTimers implements Platform {
  private final Clint clint;
  private final List<Hart> harts;
  private final @Nullable Htif htif;

  BoardTimers(Clint clint, List<Hart> harts, @Nullable Htif htif) {
    this.clint = clint;
    this.harts = List.copyOf(harts);
    this.htif = htif;
  }

  @Override
  public void poll() {
    clint.poll(); // stimecmp needs no polling: the hart compares it with time when it reads mip
    if (htif != null) {
      htif.poll();
    }
  }

  @Override
  public long nextDeadline() {
    long next = clint.nextDeadline();
    for (Hart hart : harts) {
      next = Math.min(next, hart.timerDeadline());
    }
    return next;
  }
}
