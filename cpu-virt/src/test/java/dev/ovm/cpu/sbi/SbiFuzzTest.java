package dev.ovm.cpu.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ovm.cpu.Asm;
import dev.ovm.cpu.Hart;
import dev.ovm.cpu.Privilege;

/**
 * Jazzer fuzz test of the VMM's SBI ({@link Sbi}): harts in S-mode issue ECALLs with
 * fuzzer-chosen a0–a7 over guest RAM with fuzzer-chosen content (DBCN buffers, legacy hart masks,
 * HSM start and resume addresses), and between calls the harts may run a few instructions of
 * whatever lies in RAM. Extension ids are biased to the implemented ones.
 *
 * <p>Property after every call: no Java exception escapes; the caller either returned (pc just
 * past the ECALL, still in S-mode, a0 a standard SBI error code or success — SBI spec v2.0 ch. 3;
 * for the legacy extensions a0 alone, ch. 5) or did one of the calls that do not return: HSM
 * {@code hart_stop} (stopped), HSM {@code hart_suspend} (suspended), SRST {@code system_reset} or
 * legacy {@code shutdown} (stopped, and the board was asked for exactly one reset). A DBCN write
 * that succeeds put exactly the number of bytes it reports on the console.
 *
 * <p>A regression test over its seeds in {@code mvn test}; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class SbiFuzzTest {
  private static final long BASE = 0x10;
  private static final long TIME = 0x54494D45L;
  private static final long IPI = 0x735049;
  private static final long RFENCE = 0x52464E43L;
  private static final long HSM = 0x48534D;
  private static final long SRST = 0x53525354L;
  private static final long DBCN = 0x4442434EL;
  private static final long[] EXTENSIONS = {
    BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    0x09, 0x504D55, 0x4E41434C
  };
  /** HSM states (SBI spec v2.0 ch. 9, table 37). */
  private static final int STARTED = 0;
  private static final int STOPPED = 1;
  private static final int SUSPENDED = 4;
  /** The most negative standard error code of SBI v2.0, SBI_ERR_NO_SHMEM (ch. 3, table 1). */
  private static final long LAST_ERROR = -9;
  private static final int MAX_CALLS = 24;

  @FuzzTest(maxDuration = "5m")
  void fuzzEcalls(FuzzedDataProvider data) {
    try (SbiFixture f = new SbiFixture(data.consumeInt(1, 4))) {
      byte[] content = data.consumeBytes(data.consumeInt(0, 512));
      f.ram.write(SbiFixture.DATA, content, 0, content.length);
      for (byte b : data.consumeBytes(data.consumeInt(0, 16))) {
        f.typed.add(b & 0xFF);
      }
      for (int call = 0; call < MAX_CALLS && data.remainingBytes() > 0; call++) {
        if (data.consumeInt(0, 7) == 0) {
          runSomeHart(f, data);
          continue;
        }
        Hart caller = f.hart(data.consumeInt(0, f.harts.size() - 1));
        if (caller.hsmState() != STARTED) {
          continue;
        }
        if (!ecall(f, caller, data)) {
          return; // the VM asked to stop
        }
      }
    }
  }

  /** Lets a hart that is not stopped run a few instructions of whatever its pc points at. */
  private static void runSomeHart(SbiFixture f, FuzzedDataProvider data) {
    Hart hart = f.hart(data.consumeInt(0, f.harts.size() - 1));
    if (hart.hsmState() != STOPPED) {
      hart.run(data.consumeInt(1, 16));
    }
  }

  /** One checked ECALL by {@code hart}; false if it reset the system. */
  private static boolean ecall(SbiFixture f, Hart hart, FuzzedDataProvider data) {
    long eid = data.consumeBoolean() ? data.pickValue(EXTENSIONS) : data.consumeLong();
    long fid = data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeLong();
    long[] args = new long[6];
    for (int i = 0; i < args.length; i++) {
      args[i] = argument(f, data);
    }
    long ecall = SbiFixture.ecallAddress(hart.id());
    f.place(new Asm(ecall).ecall()); // the harts' own stores may have overwritten it
    int resets = f.resets.size();
    int console = f.console().length();

    long[] result = f.call(hart.id(), eid, fid, args);

    boolean reset = f.resets.size() != resets;
    String call = "ecall a7=0x" + Long.toHexString(eid) + " a6=0x" + Long.toHexString(fid);
    int state = hart.hsmState();
    if (state == STOPPED) {
      boolean stopCall = (eid == HSM && (int) fid == 1) || (eid == SRST && (int) fid == 0) || eid == 0x08;
      assertTrue(stopCall, call + " stopped the hart");
      assertEquals(eid != HSM, reset, call + ": a reset was asked for exactly when the call was one");
      assertTrue(!reset || f.resets.size() == resets + 1, call + " asked for one reset");
      return !reset;
    }
    assertTrue(!reset, call + " asked for a reset but the hart goes on");
    if (state == SUSPENDED) {
      assertTrue(eid == HSM && (int) fid == 3, call + " suspended the hart");
      return true;
    }
    assertEquals(STARTED, state, call);
    assertEquals(Privilege.SUPERVISOR, hart.privilege(), call);
    assertEquals(ecall + 4, hart.pc(), call + ": pc is past the ecall");
    long error = result[0];
    if (LegacyExtensions.isLegacy(eid)) {
      boolean getchar = eid == 0x02 && error >= -1 && error <= 0xFF;
      assertTrue(getchar || isSbiError(error), call + " returned a0=" + error);
    } else {
      assertTrue(isSbiError(error), call + " returned a0=" + error);
    }
    if (eid == DBCN && (int) fid == 0 && error == Sbi.SUCCESS) {
      assertEquals(result[1], f.console().length() - console, call + ": bytes written");
    }
    return true;
  }

  private static boolean isSbiError(long a0) {
    return a0 <= Sbi.SUCCESS && a0 >= LAST_ERROR;
  }

  /** An argument: a hart id or mask, an address in (or near) RAM, a small number or anything. */
  private static long argument(SbiFixture f, FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 0 -> data.consumeInt(-1, f.harts.size());
      case 1 -> SbiFixture.DATA + data.consumeInt(-8, 520);
      case 2 -> SbiFixture.RAM_BASE + SbiFixture.RAM_SIZE + data.consumeInt(-4096, 64);
      case 3 -> data.consumeInt(0, 0x1000);
      case 4 -> data.consumeInt() & 0xFFFF_FFFFL;
      default -> data.consumeLong();
    };
  }
}
