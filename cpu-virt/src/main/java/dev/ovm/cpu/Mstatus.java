package dev.ovm.cpu;

/** Field masks of mstatus and its sstatus view for RV64 (Priv spec 3.1.6, 4.1.1). */
final class Mstatus {
  static final long SIE = 1L << 1;
  static final long MIE = 1L << 3;
  static final long SPIE = 1L << 5;
  static final long UBE = 1L << 6;
  static final long MPIE = 1L << 7;
  static final long SPP = 1L << 8;
  static final long VS = 3L << 9;
  static final int MPP_SHIFT = 11;
  static final long MPP = 3L << MPP_SHIFT;
  static final long FS = 3L << 13;
  static final long XS = 3L << 15;
  static final long MPRV = 1L << 17;
  static final long SUM = 1L << 18;
  static final long MXR = 1L << 19;
  static final long TVM = 1L << 20;
  static final long TW = 1L << 21;
  static final long TSR = 1L << 22;
  /** UXL = 2 (XLEN 64), read-only. */
  static final long UXL_64 = 2L << 32;
  /** SXL = 2 (XLEN 64), read-only. */
  static final long SXL_64 = 2L << 34;
  static final long UXL = 3L << 32;
  static final long SD = 1L << 63;

  /** Bits M-mode software can change. VS stays 0 (no V); XS is 0 (no custom state). */
  static final long WRITABLE =
      SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;

  /** The bits visible through sstatus (Priv 4.1.1). */
  static final long SSTATUS_VIEW = SIE | SPIE | UBE | SPP | VS | FS | XS | SUM | MXR | UXL | SD;

  /** The bits S-mode software can change through sstatus. */
  static final long SSTATUS_WRITABLE = SIE | SPIE | SPP | FS | SUM | MXR;

  /** Recomputes SD (Priv 3.1.6.6): set iff FS, VS or XS is Dirty. */
  static long withSd(long mstatus) {
    boolean dirty = (mstatus & FS) == FS || (mstatus & VS) == VS || (mstatus & XS) == XS;
    return dirty ? mstatus | SD : mstatus & ~SD;
  }

  private Mstatus() {}
}
