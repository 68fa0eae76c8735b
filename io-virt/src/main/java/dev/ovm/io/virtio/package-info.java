/**
 * Virtio devices over the virtio-mmio transport (virtio 1.2): a device is a model ({@link
 * dev.ovm.io.virtio.VirtioBlock}, {@link dev.ovm.io.virtio.VirtioConsole}, {@link
 * dev.ovm.io.virtio.VirtioEntropy}) plus the transport ({@link
 * dev.ovm.io.virtio.VirtioMmioTransport}, the {@link dev.ovm.vmm.device.MmioDevice} the board maps)
 * plus a backend (a {@link dev.ovm.io.virtio.BlockBackend}, a sink and an input method, a random
 * source).
 *
 * <p>Wiring, for a board builder: {@code new VirtioMmioTransport("virtio-blk0",
 * VirtioBlock.open(path, readOnly), ram, plic.source(VirtMemoryMap.VIRTIO_IRQ + n))} mapped at
 * {@code VirtMemoryMap.VIRTIO_BASE + n * VirtMemoryMap.VIRTIO_SIZE}; unused slots get {@link
 * dev.ovm.io.virtio.VirtioMmioTransport#empty()}.
 *
 * <p>Queues: {@link dev.ovm.io.virtio.Virtqueue} is the split virtqueue (2.7). It does not own
 * guest memory; the memory is passed in on every call. It checks every guest-supplied index,
 * length and address and reports guest errors as {@link dev.ovm.io.virtio.PopResult} values: a bad
 * chain fails that request (with the device's error status if it has one), and what cannot be
 * parsed at all puts the device in DEVICE_NEEDS_RESET (2.1.2). Nothing the guest writes into its
 * rings makes the VMM throw.
 *
 * <p>Processing model: synchronous. A QueueNotify write processes the queue on the vCPU thread
 * that wrote it; console input is delivered on the thread that calls {@link
 * dev.ovm.io.virtio.VirtioConsole#receive}.
 *
 * <p>Tests: {@code src/test} ships a driver written in Java ({@code TestDriver}, {@code
 * DriverQueue}: feature negotiation, queue setup, posting chains, reading the used ring), an
 * in-memory block backend and two fuzz targets ({@code ChainFuzzer}, {@code RegisterFuzzer}) run
 * by Jazzer and QuickTheories.
 *
 * <p>Lock order across the package: <em>transport lock, then device lock, then {@link
 * dev.ovm.io.virtio.InterruptState} lock, then the PLIC's lock</em>. Devices never take a
 * transport's lock; a device's sink must not call back into it.
 */
package dev.ovm.io.virtio;
