package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;

/**
 * The legacy extensions of SBI v0.1 (SBI spec v2.0 ch. 5) that need no guest-virtual pointer:
 * {@code set_timer} (EID 0x00), {@code console_putchar} (0x01), {@code console_getchar} (0x02,
 * -1 when nothing was typed), {@code clear_ipi} (0x03) and {@code shutdown} (0x08). Their result
 * goes to {@code a0} alone. send_ipi and the remote fences (0x04–0x07) take a pointer to a hart
 * mask in guest-virtual memory and are not offered; kernels use the IPI and RFENCE extensions.
 */
final class LegacyExtensions implements SbiExtension {
  static final long[] IDS = {0x00, 0x01, 0x02, 0x03, 0x08};
  private static final long LAST_LEGACY = 0x0F;

  private final SbiPlatform platform;

  LegacyExtensions(SbiPlatform platform) {
    this.platform = platform;
  }

  /** True if {@code id} is in the legacy range 0x00–0x0F, whose result convention differs. */
  static boolean isLegacy(long id) {
    return id >= 0 && id <= LAST_LEGACY;
  }

  /** {@inheritDoc} The first of {@link #IDS}; {@link Sbi} registers the instance under each. */
  @Override
  public long id() {
    return 0x00;
  }

  /** {@inheritDoc} The legacy extension id ({@code a7}) selects the function. */
  @Override
  public SbiResult call(Hart hart, long function) {
    long a0 = hart.x(Sbi.Registers.A0);
    return switch ((int) hart.x(Sbi.Registers.A7)) {
      case 0x00 -> {
        hart.setTimer(a0);
        yield SbiResult.SUCCESS;
      }
      case 0x01 -> {
        platform.consoleWrite(new byte[] {(byte) a0}, 1);
        yield SbiResult.SUCCESS;
      }
      case 0x02 -> SbiResult.value(platform.consoleRead());
      case 0x03 -> {
        hart.clearSupervisorSoftwareInterrupt();
        yield SbiResult.SUCCESS;
      }
      case 0x08 -> {
        platform.systemReset(0, 0);
        hart.stop();
        yield SbiResult.NO_RETURN;
      }
      default -> SbiResult.value(Sbi.ERR_NOT_SUPPORTED);
    };
  }
}
