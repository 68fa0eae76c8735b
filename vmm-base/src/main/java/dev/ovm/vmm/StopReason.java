package dev.ovm.vmm;

/**
 * How a VM ended, with the status the {@code ovm} process exits with.
 *
 * @param kind what ended it
 * @param exitStatus the process exit status (the guest's test-finisher code for a power-off)
 * @param detail a one-line explanation for the user
 */
public record StopReason(Kind kind, int exitStatus, String detail) {

  /** What ended a VM. */
  public enum Kind {
    /** The guest powered off (test finisher, SBI SRST, HTIF). */
    GUEST_POWER_OFF,
    /** The guest asked for a reset, which this VMM treats as the end of the run. */
    GUEST_RESET,
    /** The {@code --max-insns} budget ran out. */
    INSTRUCTION_LIMIT,
    /** The {@code --timeout} wall-clock limit ran out. */
    TIMEOUT,
    /** The user quit (Ctrl-A x) or the VMM stopped the VM. */
    USER,
    /** The guest reached a state it cannot leave (see {@link VcpuExit.Fatal}). */
    GUEST_FAILURE,
    /** Every vCPU sleeps and nothing can ever wake one. */
    DEADLOCK
  }
}
