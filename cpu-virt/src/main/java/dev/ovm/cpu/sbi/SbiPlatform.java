package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.List;

/**
 * The board as the VMM's SBI reaches it: the VM's harts, its RAM, its console and its power
 * control. The composition root (ive-manager) implements it for each VM.
 */
public interface SbiPlatform {
  /** The VM's harts, index = hart id. */
  List<Hart> harts();

  /** The VM's RAM, for the debug console's guest-physical buffers. */
  GuestMemory memory();

  /** Writes {@code length} bytes of {@code bytes} to the console (where the UART's output goes). */
  void consoleWrite(byte[] bytes, int length);

  /** The next byte typed at the console, or -1 if none is waiting. Never blocks. */
  int consoleRead();

  /**
   * Ends or resets the VM (SBI SRST): {@code type} 0 shutdown, 1 cold reboot, 2 warm reboot;
   * {@code reason} 0 none, 1 system failure (already validated). Returns; the hart stops at its
   * next check.
   */
  void systemReset(int type, int reason);
}
