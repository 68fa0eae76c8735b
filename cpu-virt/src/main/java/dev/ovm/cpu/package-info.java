/**
 * The RV64IMAFDC hart (with Sstc): {@link dev.ovm.cpu.Hart} (the {@link dev.ovm.vmm.Vcpu} the VMM schedules) and
 * the units it is made of.
 *
 * <h2>Map</h2>
 *
 * <ul>
 *   <li>{@code Hart} — public face: reset, run, interrupt lines, register/CSR accessors for tests.
 *   <li>{@code HartState} — architectural state shared by the units below.
 *   <li>{@code Interpreter} — fetch, decode and execute (Unpriv chapters 2, 5, 13, 14, 16; Zicsr,
 *       Zifencei) with the common RV64I instructions in one flat jump table; {@code Rvc} expands
 *       compressed instructions through a 64K-entry table; {@code Alu} holds the arithmetic whose
 *       RISC-V meaning differs from Java's operators.
 *   <li>{@code BlockTranslator}, {@code BlockCache}, {@code TranslatedBlock} — the second tier:
 *       a block of integer code that has started {@code threshold} times is translated to a JVM
 *       hidden class ({@code CompiledBlock}) with ASM; the interpreter's run loop runs it when it
 *       fits in the chunk, with exactly the interpreter's guest-visible behaviour.
 *   <li>{@code Fpu} — the F and D extensions (Unpriv chapters 20, 21): decode, f registers with
 *       NaN boxing, mstatus.FS checks and dirty tracking, rounding-mode field. The operations are in
 *       {@code FloatArithmetic} (add, multiply, divide, square root, fused multiply-add),
 *       {@code FloatConvert}, {@code FloatCompare} (min/max, compares, classify, sign injection),
 *       all rounding once through {@code Rounding} on a {@code FloatFormat}, with flags raised into
 *       {@code FloatFlags}.
 *   <li>{@code HartLifecycle} — the SBI HSM state (started, stopped, start pending, suspended);
 *       {@code MachineFirmware} — the hook through which the VMM serves ECALLs from S-mode (see
 *       {@link dev.ovm.cpu.sbi}).
 *   <li>{@code CsrFile} — which CSRs exist, the access rules and WARL masks (Priv chapters 2–4).
 *   <li>{@code Traps} — trap entry and return, delegation, interrupt selection (Priv 3.1.6–3.1.9).
 *   <li>{@code MemoryAccess} — loads, stores, atomics and fetches through the per-hart
 *       {@link dev.ovm.memory.mmu.Tlb} and {@link dev.ovm.memory.mmu.Mmu}.
 *   <li>{@code Privilege}, {@code Cause}, {@code CsrAddress}, {@code Mstatus}, {@code Opcode} —
 *       constants spelled as in the specifications.
 * </ul>
 *
 * <h2>Implementation choices the specifications leave open</h2>
 *
 * <ul>
 *   <li>Misaligned loads, stores and AMOs trap (cause 4 or 6, tval = the virtual address); they are
 *       not emulated. M-mode firmware (OpenSBI) emulates them for S/U software. When the VMM is the
 *       firmware ({@link dev.ovm.cpu.Hart#installFirmware}), misaligned loads and stores (not AMOs
 *       or LR/SC) are done byte by byte by the hart instead.
 *   <li>Sstc: {@code stimecmp} (0x14D) exists; while menvcfg.STCE = 1 (or the VMM's SBI owns the
 *       timer), STIP is {@code time >= stimecmp} computed whenever mip is read, and the STIP bit
 *       of mip is read-only. S-mode access needs menvcfg.STCE and mcounteren.TM.
 *   <li>IALIGN is 16 (C is always on, misa is read-only), so instruction-address-misaligned never
 *       happens.
 *   <li>Illegal-instruction tval is the instruction bits (the 16 bits of a compressed one), as QEMU.
 *   <li>No PMP: pmpcfg/pmpaddr read as zero and ignore writes. hpm counters and events,
 *       mcountinhibit and mconfigptr read as zero. envcfg implements FIOM only.
 *   <li>mcycle counts one cycle per retired instruction; {@code time} comes from the VM's clock.
 *   <li>SC succeeds if this hart holds the reservation and memory still holds the value LR read
 *       (compare-and-swap), so a store by another hart that changes the value breaks it.
 *   <li>F/D: mstatus.FS is Off at reset. FS is tracked exactly: it becomes Dirty only when an
 *       instruction writes an f register, fcsr (CSR writes) or raises a flag into fflags; FP loads,
 *       stores to memory, FMV.X.*, compares and FCLASS that raise nothing leave it as it is. SD is
 *       recomputed on every mstatus/sstatus write. frm may hold the invalid values 5–7 (it is a
 *       plain 3-bit field); an instruction using DYN then raises illegal instruction. Every
 *       instruction with an rm field checks it, even when the operation is exact (FCVT.D.W).
 *       NaN results are always the canonical NaN (the spec's only choice for RISC-V).
 *   <li>The FP arithmetic is exact BigInteger significand arithmetic rounded once, so the FP path
 *       allocates a few small objects per instruction; the integer hot loop never reaches it.
 *   <li>Interrupts are looked at when a quantum starts, after instructions that can enable one
 *       (CSR writes, MRET, SRET, WFI), and every 4096 instructions; device lines are plain atomic
 *       bits, so no per-instruction check is needed.
 *   <li>Stores to instruction memory reach translated code only after a FENCE.I on the hart (or a
 *       remote one through SBI), as Zifencei allows; the interpreter itself always fetches from
 *       memory.
 * </ul>
 */
package dev.ovm.cpu;
