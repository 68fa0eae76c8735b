/**
 * The Supervisor Binary Interface served by the VMM (RISC-V SBI spec v2.0) for S-mode kernels run
 * without firmware ({@code ovm run -bios none} with a Linux Image or an ELF entered at
 * 0x8020_0000), which is how hypervisors serve their guests.
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>{@code Sbi} — the hart's {@link dev.ovm.cpu.MachineFirmware}: dispatches an ECALL from
 *       S-mode by extension id ({@code a7}) and writes {@code a0}/{@code a1} (ch. 3).
 *   <li>One class per extension: {@code BaseExtension} (ch. 4), {@code LegacyExtensions} (ch. 5,
 *       0x00–0x08; hart masks read through the caller's page tables), {@code TimeExtension} (ch. 6), {@code
 *       IpiExtension} (ch. 7), {@code RfenceExtension} (ch. 8), {@code HsmExtension} (ch. 9),
 *       {@code ResetExtension} (ch. 10), {@code DebugConsoleExtension} (ch. 12); {@code HartMask}
 *       decodes hart masks (ch. 3.1).
 *   <li>{@code SbiPlatform} — what the board provides (harts, RAM, console, power); the
 *       composition root implements it.
 * </ul>
 *
 * <h2>Choices</h2>
 *
 * <ul>
 *   <li>Implementation id 0x6F766D ("ovm"; unassigned by the spec), version 0x1.
 *   <li>The supervisor timer is the hart's Sstc comparator: TIME {@code set_timer} programs it even
 *       when the guest was not given Sstc, so no M-mode timer interrupt is ever needed.
 *   <li>Remote fences flush the whole TLB of each named hart and wait until a running target has
 *       passed its next check ({@link dev.ovm.cpu.Hart#flushTlbFrom}).
 *   <li>HSM suspend is a wait for an interrupt; secondary harts start stopped and are not
 *       scheduled ({@link dev.ovm.vmm.Vcpu#parked()}) until {@code hart_start}.
 *   <li>SRST hands the request to the board and stops the calling hart; the board ends the VM.
 * </ul>
 */
package dev.ovm.cpu.sbi;
