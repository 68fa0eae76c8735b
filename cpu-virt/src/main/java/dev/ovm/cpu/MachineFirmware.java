package dev.ovm.cpu;

/**
 * M-mode firmware provided by the VMM instead of guest code (as a hypervisor serves SBI to its
 * guests): when installed with {@link Hart#installFirmware}, an ECALL from S-mode does not trap to
 * M-mode but calls {@link #supervisorCall} on the hart's own thread.
 */
@FunctionalInterface
public interface MachineFirmware {
  /**
   * Handles one ECALL from S-mode. On entry {@link Hart#pc()} is already past the ECALL (it is 4
   * bytes long); the handler reads its arguments from {@code a0..a7} with {@link Hart#x}, writes
   * its results with {@link Hart#setX}, and may redirect the hart (HSM stop or suspend).
   *
   * @param hart the calling hart, on whose thread this runs
   */
  void supervisorCall(Hart hart);
}
