package dev.ovm.vmm;

/**
 * The board's side of the VM run loop: timers whose interrupts depend on the clock. The loop calls
 * {@link #poll()} between quanta so that compare registers turn into pending interrupts, and asks
 * {@link #nextDeadline()} when every vCPU is idle.
 */
public interface Platform {

  /** Brings clock-driven interrupt lines up to date with the VM's clock. */
  void poll();

  /** The earliest tick at which a clock-driven interrupt will become pending, or {@link Long#MAX_VALUE}. */
  long nextDeadline();

  /** A platform without timers. */
  Platform NONE =
      new Platform() {
        @Override
        public void poll() {}

        @Override
        public long nextDeadline() {
          return Long.MAX_VALUE;
        }
      };
}
