/**
 * Clustered objects after Tornado and K42: an object is a root shared by all physical CPUs plus one
 * representative per physical CPU, created on first use, so that the common path touches only the
 * calling CPU's representative (Gamsa, Krieger, Appavoo, Stumm, "Tornado: Maximizing Locality and
 * Concurrency in a Shared Memory Multiprocessor Operating System", OSDI '99; Appavoo et al.,
 * "Experience Distributing Objects in an SMMP OS", ACM TOCS 25(3), 2007).
 *
 * <p>The parts, in the order a user meets them:
 *
 * <ul>
 *   <li>{@link dev.ovm.clustered.CoreThread} and {@link dev.ovm.clustered.Cores}: which physical CPU
 *       the current thread stands for, found by a type check and a field read;
 *   <li>{@link dev.ovm.clustered.CoreSet}: how many physical CPUs there are, and how a core index maps
 *       to a representative slot (threads that are not physical CPUs share one "outside" slot);
 *   <li>{@link dev.ovm.clustered.ClusteredObject}: the per-core representatives of one object, made
 *       by a {@link dev.ovm.clustered.MissHandler} on first use and visited for global operations;
 *   <li>{@link dev.ovm.clustered.Quiescence}: a generation barrier that tells a hot swap or a TLB
 *       shootdown when every physical CPU has passed a safe point;
 *   <li>{@link dev.ovm.clustered.PaddedLong} and {@link dev.ovm.clustered.ClusteredCounter}: padding
 *       against false sharing (the only place in ovm that pads fields) and a per-core statistics
 *       counter built from it.
 * </ul>
 */
package dev.ovm.clustered;
