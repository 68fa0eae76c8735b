/**
 * Sv39 address translation (Priv spec 4.3, 4.4) for one hart: the page walker {@link
 * dev.ovm.memory.mmu.Mmu}, the software TLB {@link dev.ovm.memory.mmu.Tlb} it fills, and the
 * constants of page-table entries and satp in {@link dev.ovm.memory.mmu.Pte}.
 *
 * <p>The walker reads page tables through the {@link dev.ovm.memory.SystemBus} and updates A/D
 * with compare-and-swap on {@link dev.ovm.memory.GuestRam}; the TLB maps virtual pages to machine
 * offsets that {@link dev.ovm.memory.GuestRam#offsetOf} took from the VM's P2M, so a hit is two
 * array loads and never reaches a frame that is not the VM's own; a TLB shootdown drops the
 * entries before a frame is freed. Device pages are never cached.
 */
package dev.ovm.memory.mmu;
