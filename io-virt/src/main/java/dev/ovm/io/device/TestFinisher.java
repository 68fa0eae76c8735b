package dev.ovm.io.device;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.MmioDevice;
import java.util.function.Consumer;

/**
 * SiFive's test device ("sifive,test0"), through which a guest powers the board off or resets it.
 * A write at offset 0 carries a status in its low 16 bits and a code in the next 16:
 * {@value #FINISHER_PASS} ends the run with exit status 0, {@value #FINISHER_FAIL} with exit status
 * {@code code} (1 if the code is 0, so that a failure never looks like a pass), and {@value
 * #FINISHER_RESET} asks for a reset. Other values, and writes elsewhere in the window, are ignored.
 *
 * <p>Accesses: 2- and 4-byte accesses are accepted, as QEMU's {@code sifive_test} accepts them (a
 * 2-byte write carries only the status, so its code is 0); 1- and 8-byte accesses raise {@link
 * DeviceAccessFault}. Reads return 0.
 *
 * <p>Thread safety: the device has no state; every qualifying write calls the stop consumer on the
 * writing hart's thread, so the consumer must be thread-safe (the VM keeps the first stop reason).
 */
public final class TestFinisher implements MmioDevice {
  /** Status meaning "the guest failed", with the exit code in bits 31:16. */
  public static final int FINISHER_FAIL = 0x3333;
  /** Status meaning "the guest passed". */
  public static final int FINISHER_PASS = 0x5555;
  /** Status meaning "reset the board". */
  public static final int FINISHER_RESET = 0x7777;

  private final Consumer<StopReason> stop;

  /**
   * Creates the device.
   *
   * @param stop receives the stop reason when the guest powers off or resets
   */
  public TestFinisher(Consumer<StopReason> stop) {
    this.stop = stop;
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public long size() {
    return VirtMemoryMap.TEST_SIZE;
  }

  @Override
  public long read(long offset, int width) {
    checkWidth(width);
    return 0;
  }

  @Override
  public void write(long offset, int width, long value) {
    checkWidth(width);
    if (offset != 0) {
      return;
    }
    int status = (int) (value & 0xFFFF);
    int code = width == 4 ? (int) ((value >> 16) & 0xFFFF) : 0;
    switch (status) {
      case FINISHER_PASS -> stop.accept(new StopReason(StopReason.Kind.GUEST_POWER_OFF, 0, "test finisher: pass"));
      case FINISHER_FAIL -> {
        int exitStatus = code == 0 ? 1 : code;
        stop.accept(new StopReason(StopReason.Kind.GUEST_POWER_OFF, exitStatus,
            "test finisher: fail, code " + code));
      }
      case FINISHER_RESET -> stop.accept(new StopReason(StopReason.Kind.GUEST_RESET, 0, "test finisher: reset"));
      default -> {
        // not a finisher command: ignored, as QEMU does
      }
    }
  }

  private static void checkWidth(int width) {
    if (width != 2 && width != 4) {
      throw DeviceAccessFault.INSTANCE;
    }
  }
}
