package dev.ovm.io.fdt;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A parsed flattened devicetree: the header fields that matter to a consumer, the memory
 * reservation block and the root node.
 *
 * @param version the header's {@code version} field
 * @param bootCpuidPhys the header's {@code boot_cpuid_phys} field
 * @param reservations the memory reservation entries, without the terminating all-zero entry
 * @param root the root node
 */
public record FdtTree(int version, int bootCpuidPhys, List<Reservation> reservations, FdtNode root) {

  /**
   * One memory reservation entry (DT spec 5.3.2).
   *
   * @param address physical address of the reserved region
   * @param size size of the reserved region in bytes
   */
  public record Reservation(long address, long size) {}

  /** Copies the reservation list so the record is immutable. */
  public FdtTree {
    reservations = List.copyOf(reservations);
  }

  /**
   * The node at an absolute path such as {@code "/soc/serial@10000000"} ({@code "/"} is the root),
   * or null if there is none. Each path component is a full node name, unit address included.
   */
  public @Nullable FdtNode node(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    FdtNode node = root;
    for (String part : path.substring(1).split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      FdtNode child = node.child(part);
      if (child == null) {
        return null;
      }
      node = child;
    }
    return node;
  }

  /** The node whose {@code phandle} property is {@code phandle}, or null if none. */
  public @Nullable FdtNode nodeByPhandle(int phandle) {
    for (FdtNode node : allNodes()) {
      byte[] value = node.property("phandle");
      if (value != null && value.length == 4 && node.u32("phandle") == phandle) {
        return node;
      }
    }
    return null;
  }

  /** Every node of the tree, root first, in depth-first blob order. */
  public List<FdtNode> allNodes() {
    List<FdtNode> nodes = new ArrayList<>();
    collect(root, nodes);
    return nodes;
  }

  private static void collect(FdtNode node, List<FdtNode> into) {
    into.add(node);
    for (FdtNode child : node.children()) {
      collect(child, into);
    }
  }
}
