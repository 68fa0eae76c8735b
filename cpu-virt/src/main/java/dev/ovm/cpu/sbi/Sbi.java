package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import dev.ovm.cpu.MachineFirmware;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Supervisor Binary Interface served by the VMM itself (RISC-V SBI spec v2.0), for S-mode
 * kernels run with {@code -bios none}: the hart calls {@link #supervisorCall} for every ECALL
 * from S-mode, and the extension named by {@code a7} runs function {@code a6} with the arguments in
 * {@code a0..a5}; the error goes to {@code a0} and the value to {@code a1} (ch. 3).
 *
 * <p>Extensions: BASE (ch. 4), the legacy extensions 0x00–0x08 (ch. 5), TIME (ch. 6), IPI (ch.
 * 7), RFENCE (ch. 8), HSM (ch. 9), SRST (ch. 10) and DBCN (ch. 12). Any other extension or
 * function answers {@link #ERR_NOT_SUPPORTED}.
 *
 * <p>Threads: one instance serves all harts of a VM, each on its own thread; the instance is
 * immutable after construction and the extensions act on other harts only through their
 * thread-safe methods.
 */
public final class Sbi implements MachineFirmware {
  /** The standard SBI error codes (SBI spec v2.0 ch. 3). */
  public static final long SUCCESS = 0;
  /** Failed. */
  public static final long ERR_FAILED = -1;
  /** Not supported. */
  public static final long ERR_NOT_SUPPORTED = -2;
  /** Invalid parameter. */
  public static final long ERR_INVALID_PARAM = -3;
  /** Invalid address. */
  public static final long ERR_INVALID_ADDRESS = -5;
  /** Already available. */
  public static final long ERR_ALREADY_AVAILABLE = -6;

  /** Specification version 2.0: major in bits 30:24, minor in 23:0 (ch. 4.1). */
  public static final long SPEC_VERSION = 2L << 24;
  /**
   * Implementation id: 0x6F766D, "ovm" in ASCII. SBI implementation ids are assigned by the SBI
   * spec (ch. 4.9); ovm has none, so it picks a value far above the assigned ones.
   */
  public static final long IMPLEMENTATION_ID = 0x6F766D;
  /** Implementation version: 0.1 (the project's version), major in 31:16, minor in 15:0. */
  public static final long IMPLEMENTATION_VERSION = 0x0000_0001L;

  private final Map<Long, SbiExtension> extensions = new LinkedHashMap<>();

  /**
   * Creates the SBI of one VM.
   *
   * @param platform the VM's harts, RAM, console and power control
   */
  public Sbi(SbiPlatform platform) {
    List<Hart> harts = platform.harts();
    for (SbiExtension extension : List.of(
        new BaseExtension(this::supports),
        new TimeExtension(),
        new IpiExtension(harts),
        new RfenceExtension(harts),
        new HsmExtension(harts, platform.memory()),
        new ResetExtension(platform),
        new DebugConsoleExtension(platform))) {
      extensions.put(extension.id(), extension);
    }
    LegacyExtensions legacy = new LegacyExtensions(platform);
    for (long id : LegacyExtensions.IDS) {
      extensions.put(id, legacy);
    }
  }

  /** True if extension {@code id} is served (BASE probe_extension, ch. 4.4). */
  boolean supports(long id) {
    return extensions.containsKey(id);
  }

  @Override
  public void supervisorCall(Hart hart) {
    // SBI spec v2.0 ch. 3: EIDs and FIDs are signed 32-bit integers, passed sign-extended as the
    // calling convention does: only the low 32 bits of a7 and a6 are read, for every extension
    long id = (int) hart.x(Registers.A7);
    SbiExtension extension = extensions.get(id);
    SbiResult result = extension == null
        ? SbiResult.error(ERR_NOT_SUPPORTED)
        : extension.call(hart, (int) hart.x(Registers.A6));
    if (result == SbiResult.NO_RETURN) {
      return;
    }
    if (LegacyExtensions.isLegacy(id)) {
      hart.setX(Registers.A0, extension == null ? ERR_NOT_SUPPORTED : result.value()); // ch. 5
      return;
    }
    hart.setX(Registers.A0, result.error());
    hart.setX(Registers.A1, result.value());
  }

  /** Argument registers of the calling convention (ch. 3). */
  static final class Registers {
    static final int A0 = 10;
    static final int A1 = 11;
    static final int A2 = 12;
    static final int A3 = 13;
    static final int A4 = 14;
    static final int A6 = 16;
    static final int A7 = 17;

    private Registers() {}
  }
}
