package dev.ovm.cpu;

/** The privilege modes of this hart (Priv spec 1.2, table 1.1): U, S and M. */
public enum Privilege {
  /** User mode, level 0. */
  USER(0),
  /** Supervisor mode, level 1. */
  SUPERVISOR(1),
  /** Machine mode, level 3. */
  MACHINE(3);

  /** Encoding of U-mode. */
  public static final int U = 0;
  /** Encoding of S-mode. */
  public static final int S = 1;
  /** Encoding of M-mode. */
  public static final int M = 3;

  private final int level;

  Privilege(int level) {
    this.level = level;
  }

  /** The 2-bit encoding used in mstatus.MPP and in CSR addresses. */
  public int level() {
    return level;
  }

  /**
   * The mode with encoding {@code level}.
   *
   * @throws IllegalArgumentException for the reserved encoding 2 or anything else
   */
  public static Privilege of(int level) {
    return switch (level) {
      case U -> USER;
      case S -> SUPERVISOR;
      case M -> MACHINE;
      default -> throw new IllegalArgumentException("no privilege mode " + level);
    };
  }
}
