package dev.ovm.cpu;

/**
 * Exception and interrupt codes of mcause/scause (Priv spec 3.1.15, table 3.6). Interrupt causes
 * are the bit numbers of mip/mie; the trap unit sets the mcause interrupt bit (63) itself.
 */
public final class Cause {
  /** Instruction address misaligned. */
  public static final int INSTRUCTION_ADDRESS_MISALIGNED = 0;
  /** Instruction access fault. */
  public static final int INSTRUCTION_ACCESS_FAULT = 1;
  /** Illegal instruction. */
  public static final int ILLEGAL_INSTRUCTION = 2;
  /** Breakpoint. */
  public static final int BREAKPOINT = 3;
  /** Load address misaligned. */
  public static final int LOAD_ADDRESS_MISALIGNED = 4;
  /** Load access fault. */
  public static final int LOAD_ACCESS_FAULT = 5;
  /** Store/AMO address misaligned. */
  public static final int STORE_ADDRESS_MISALIGNED = 6;
  /** Store/AMO access fault. */
  public static final int STORE_ACCESS_FAULT = 7;
  /** Environment call from U-mode. */
  public static final int ECALL_FROM_U = 8;
  /** Environment call from S-mode. */
  public static final int ECALL_FROM_S = 9;
  /** Environment call from M-mode. */
  public static final int ECALL_FROM_M = 11;
  /** Instruction page fault. */
  public static final int INSTRUCTION_PAGE_FAULT = 12;
  /** Load page fault. */
  public static final int LOAD_PAGE_FAULT = 13;
  /** Store/AMO page fault. */
  public static final int STORE_PAGE_FAULT = 15;

  /** Supervisor software interrupt (mip bit). */
  public static final int SSI = 1;
  /** Machine software interrupt. */
  public static final int MSI = 3;
  /** Supervisor timer interrupt. */
  public static final int STI = 5;
  /** Machine timer interrupt. */
  public static final int MTI = 7;
  /** Supervisor external interrupt. */
  public static final int SEI = 9;
  /** Machine external interrupt. */
  public static final int MEI = 11;

  /** The interrupt flag of mcause/scause (bit XLEN-1). */
  public static final long INTERRUPT = 1L << 63;

  private Cause() {}
}
