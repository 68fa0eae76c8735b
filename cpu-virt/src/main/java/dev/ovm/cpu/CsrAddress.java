package dev.ovm.cpu;

/** CSR numbers (Priv spec 2.2, tables 2.2–2.5), spelled as in the specification. */
public final class CsrAddress {
  /** Floating-point accrued exceptions (Unpriv 20.2). */
  public static final int FFLAGS = 0x001;
  /** Floating-point dynamic rounding mode. */
  public static final int FRM = 0x002;
  /** Floating-point control and status: frm in bits 7:5, fflags in bits 4:0. */
  public static final int FCSR = 0x003;
  /** Cycle counter, user view. */
  public static final int CYCLE = 0xC00;
  /** Real-time counter, user view. */
  public static final int TIME = 0xC01;
  /** Instructions-retired counter, user view. */
  public static final int INSTRET = 0xC02;
  /** First of hpmcounter3..31. */
  public static final int HPMCOUNTER3 = 0xC03;
  /** Last of hpmcounter3..31. */
  public static final int HPMCOUNTER31 = 0xC1F;

  /** Supervisor status. */
  public static final int SSTATUS = 0x100;
  /** Supervisor interrupt enable. */
  public static final int SIE = 0x104;
  /** Supervisor trap vector. */
  public static final int STVEC = 0x105;
  /** Supervisor counter enable. */
  public static final int SCOUNTEREN = 0x106;
  /** Supervisor environment configuration. */
  public static final int SENVCFG = 0x10A;
  /** Supervisor scratch. */
  public static final int SSCRATCH = 0x140;
  /** Supervisor exception pc. */
  public static final int SEPC = 0x141;
  /** Supervisor trap cause. */
  public static final int SCAUSE = 0x142;
  /** Supervisor trap value. */
  public static final int STVAL = 0x143;
  /** Supervisor interrupt pending. */
  public static final int SIP = 0x144;
  /** Supervisor address translation and protection. */
  public static final int SATP = 0x180;
  /** Supervisor timer compare (Sstc spec 1.0, 2.1). */
  public static final int STIMECMP = 0x14D;

  /** Vendor id. */
  public static final int MVENDORID = 0xF11;
  /** Architecture id. */
  public static final int MARCHID = 0xF12;
  /** Implementation id. */
  public static final int MIMPID = 0xF13;
  /** Hart id. */
  public static final int MHARTID = 0xF14;
  /** Configuration structure pointer. */
  public static final int MCONFIGPTR = 0xF15;
  /** Machine status. */
  public static final int MSTATUS = 0x300;
  /** ISA and extensions. */
  public static final int MISA = 0x301;
  /** Machine exception delegation. */
  public static final int MEDELEG = 0x302;
  /** Machine interrupt delegation. */
  public static final int MIDELEG = 0x303;
  /** Machine interrupt enable. */
  public static final int MIE = 0x304;
  /** Machine trap vector. */
  public static final int MTVEC = 0x305;
  /** Machine counter enable. */
  public static final int MCOUNTEREN = 0x306;
  /** Machine environment configuration. */
  public static final int MENVCFG = 0x30A;
  /** Machine counter-inhibit. */
  public static final int MCOUNTINHIBIT = 0x320;
  /** First of mhpmevent3..31. */
  public static final int MHPMEVENT3 = 0x323;
  /** Last of mhpmevent3..31. */
  public static final int MHPMEVENT31 = 0x33F;
  /** Machine scratch. */
  public static final int MSCRATCH = 0x340;
  /** Machine exception pc. */
  public static final int MEPC = 0x341;
  /** Machine trap cause. */
  public static final int MCAUSE = 0x342;
  /** Machine trap value. */
  public static final int MTVAL = 0x343;
  /** Machine interrupt pending. */
  public static final int MIP = 0x344;
  /** First PMP configuration register. */
  public static final int PMPCFG0 = 0x3A0;
  /** Last PMP configuration register. */
  public static final int PMPCFG15 = 0x3AF;
  /** First PMP address register. */
  public static final int PMPADDR0 = 0x3B0;
  /** Last PMP address register. */
  public static final int PMPADDR63 = 0x3EF;
  /** Machine cycle counter. */
  public static final int MCYCLE = 0xB00;
  /** Machine instructions-retired counter. */
  public static final int MINSTRET = 0xB02;
  /** First of mhpmcounter3..31. */
  public static final int MHPMCOUNTER3 = 0xB03;
  /** Last of mhpmcounter3..31. */
  public static final int MHPMCOUNTER31 = 0xB1F;

  private CsrAddress() {}

  /** True if the CSR is read-only by its address (bits 11:10 = 11, Priv 2.1). */
  public static boolean readOnly(int address) {
    return (address >>> 10 & 3) == 3;
  }

  /** The lowest privilege level that may access the CSR (bits 9:8, Priv 2.1). */
  public static int minimumPrivilege(int address) {
    return address >>> 8 & 3;
  }
}
