package dev.ovm.io.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a flattened devicetree blob (DTB) in the format of the Devicetree Specification v0.4,
 * chapter 5: a version-17 header, a memory reservation block, a structure block and a strings
 * block with each property name stored once.
 *
 * <p>The tree is written in document order: {@code beginNode("")} opens the root, then each node's
 * properties come before its children ({@link #property} after a child node throws), and every
 * {@link #beginNode} is closed by {@link #endNode}. {@link #finish()} checks that exactly one root
 * was written and closed and returns the blob. Names are checked against the character sets of DT
 * spec 2.2.1 (nodes) and 2.2.4 (properties); a property name may appear once per node and a node
 * name once per parent.
 *
 * <p>Not thread-safe: one builder is used by one thread to build one blob.
 */
public final class FdtBuilder {
  /*
   * Layout of the finished blob (DT spec 5.1): header (40 bytes), memory reservation block at
   * offset 40 (8-byte aligned; DT spec 5.3.1), structure block, strings block. The structure block
   * is written as the caller goes; offsets are fixed up in finish().
   */
  private final int bootCpuidPhys;
  private final List<long[]> reservations = new ArrayList<>();
  private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
  private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
  private final Map<String, Integer> stringOffsets = new HashMap<>();
  private final Deque<OpenNode> open = new ArrayDeque<>();
  private boolean rootWritten;
  private boolean finished;
  private int nextPhandle = 1;

  /** Per-node bookkeeping while the node is open. */
  private static final class OpenNode {
    final String name;
    final Set<String> propertyNames = new HashSet<>();
    final Set<String> childNames = new HashSet<>();
    boolean hasChildren;

    OpenNode(String name) {
      this.name = name;
    }
  }

  /** Creates a builder whose header names hart 0 as the boot CPU. */
  public FdtBuilder() {
    this(0);
  }

  /**
   * Creates a builder whose header field {@code boot_cpuid_phys} is {@code bootCpuidPhys} (DT spec
   * 5.2: the {@code reg} of the boot CPU's node).
   */
  public FdtBuilder(int bootCpuidPhys) {
    this.bootCpuidPhys = bootCpuidPhys;
  }

  /**
   * Adds an entry {@code [address, address + size)} to the memory reservation block (DT spec 5.3).
   *
   * @throws IllegalStateException after {@link #finish()}
   */
  public FdtBuilder addReservation(long address, long size) {
    checkNotFinished();
    reservations.add(new long[] {address, size});
    return this;
  }

  /**
   * Returns a phandle not handed out before by this builder: 1, 2, 3, ... (DT spec 2.3.3: 0 and
   * 0xffffffff are not valid phandles). The caller writes it with {@code propertyU32("phandle",
   * value)} on the node it names.
   */
  public int allocatePhandle() {
    if (nextPhandle == -1) {
      throw new IllegalStateException("phandles exhausted");
    }
    return nextPhandle++;
  }

  /**
   * Opens a node. The first node must be the root, named {@code ""}; every other node is a child
   * of the innermost open node and is named {@code node-name[@unit-address]} (DT spec 2.2.1).
   *
   * @throws IllegalArgumentException if the name is malformed or repeats a sibling's name
   * @throws IllegalStateException if a second root is opened, or after {@link #finish()}
   */
  public FdtBuilder beginNode(String name) {
    checkNotFinished();
    OpenNode parent = open.peek();
    if (parent == null) {
      if (rootWritten) {
        throw new IllegalStateException("the root node is already closed; a tree has one root");
      }
      if (!name.isEmpty()) {
        throw new IllegalArgumentException("the first node must be the root, named \"\": " + name);
      }
      rootWritten = true;
    } else {
      FdtNames.checkNodeName(name);
      if (!parent.childNames.add(name)) {
        throw new IllegalArgumentException(
            "node " + path() + " already has a child named " + name);
      }
      parent.hasChildren = true;
    }
    writeInt(FdtFormat.FDT_BEGIN_NODE);
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    structure.write(bytes, 0, bytes.length);
    structure.write(0);
    pad();
    open.push(new OpenNode(name));
    return this;
  }

  /**
   * Closes the innermost open node.
   *
   * @throws IllegalStateException if no node is open
   */
  public FdtBuilder endNode() {
    checkNotFinished();
    if (open.isEmpty()) {
      throw new IllegalStateException("endNode() without a matching beginNode()");
    }
    open.pop();
    writeInt(FdtFormat.FDT_END_NODE);
    return this;
  }

  /**
   * Adds a property with a raw value to the innermost open node.
   *
   * @throws IllegalArgumentException if the name is malformed or already used in this node
   * @throws IllegalStateException if no node is open, the node already has a child, or after
   *     {@link #finish()}
   */
  public FdtBuilder property(String name, byte[] value) {
    checkNotFinished();
    OpenNode node = open.peek();
    if (node == null) {
      throw new IllegalStateException("property " + name + " outside any node");
    }
    if (node.hasChildren) {
      throw new IllegalStateException(
          "property " + name + " of " + path() + " after a child node (DT spec 5.4.2)");
    }
    FdtNames.checkPropertyName(name);
    if (!node.propertyNames.add(name)) {
      throw new IllegalArgumentException("node " + path() + " already has property " + name);
    }
    writeInt(FdtFormat.FDT_PROP);
    writeInt(value.length);
    writeInt(stringOffset(name));
    structure.write(value, 0, value.length);
    pad();
    return this;
  }

  /** Adds a property with no value, a boolean flag (DT spec 2.2.4.2 {@code <empty>}). */
  public FdtBuilder propertyEmpty(String name) {
    return property(name, new byte[0]);
  }

  /** Adds a property of big-endian 32-bit cells (DT spec 2.2.4.2 {@code <u32>}, {@code <prop-encoded-array>}). */
  public FdtBuilder propertyU32(String name, int... cells) {
    return property(name, FdtValues.cells(cells));
  }

  /** Adds a property of big-endian 64-bit values, each as two cells (DT spec 2.2.4.2 {@code <u64>}). */
  public FdtBuilder propertyU64(String name, long... values) {
    return property(name, FdtValues.longs(values));
  }

  /**
   * Adds a NUL-terminated string property (DT spec 2.2.4.2 {@code <string>}).
   *
   * @throws IllegalArgumentException if the value contains NUL or non-ASCII characters
   */
  public FdtBuilder propertyString(String name, String value) {
    return property(name, FdtValues.strings(value));
  }

  /** Adds a list of NUL-terminated strings (DT spec 2.2.4.2 {@code <stringlist>}). */
  public FdtBuilder propertyStrings(String name, String... values) {
    return property(name, FdtValues.strings(values));
  }

  /**
   * Ends the tree and returns the blob. Can be called once.
   *
   * @throws IllegalStateException if no root was written, a node is still open, or the blob was
   *     already finished
   */
  public byte[] finish() {
    checkNotFinished();
    if (!open.isEmpty()) {
      throw new IllegalStateException(
          "unbalanced tree: node " + path() + " is still open (" + open.size() + " open)");
    }
    if (!rootWritten) {
      throw new IllegalStateException("empty tree: no root node was written");
    }
    writeInt(FdtFormat.FDT_END);
    finished = true;

    int reservationOffset = FdtFormat.HEADER_SIZE;
    int reservationSize = (reservations.size() + 1) * FdtFormat.RESERVATION_ENTRY_SIZE;
    int structureOffset = reservationOffset + reservationSize;
    int stringsOffset = structureOffset + structure.size();
    int totalSize = stringsOffset + strings.size();

    ByteArrayOutputStream blob = new ByteArrayOutputStream(totalSize);
    int[] header = {
      FdtFormat.MAGIC,
      totalSize,
      structureOffset,
      stringsOffset,
      reservationOffset,
      FdtFormat.VERSION,
      FdtFormat.LAST_COMPATIBLE_VERSION,
      bootCpuidPhys,
      strings.size(),
      structure.size()
    };
    byte[] headerBytes = FdtValues.cells(header);
    blob.write(headerBytes, 0, headerBytes.length);
    for (long[] entry : reservations) {
      byte[] bytes = FdtValues.longs(entry);
      blob.write(bytes, 0, bytes.length);
    }
    byte[] terminator = new byte[FdtFormat.RESERVATION_ENTRY_SIZE];
    blob.write(terminator, 0, terminator.length);
    byte[] structureBytes = structure.toByteArray();
    blob.write(structureBytes, 0, structureBytes.length);
    byte[] stringBytes = strings.toByteArray();
    blob.write(stringBytes, 0, stringBytes.length);
    return blob.toByteArray();
  }

  private int stringOffset(String name) {
    Integer known = stringOffsets.get(name);
    if (known != null) {
      return known;
    }
    int offset = strings.size();
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    strings.write(bytes, 0, bytes.length);
    strings.write(0);
    stringOffsets.put(name, offset);
    return offset;
  }

  private void writeInt(int value) {
    byte[] bytes = FdtValues.cells(value);
    structure.write(bytes, 0, bytes.length);
  }

  private void pad() {
    while ((structure.size() & 3) != 0) {
      structure.write(0);
    }
  }

  private void checkNotFinished() {
    if (finished) {
      throw new IllegalStateException("the blob is already finished");
    }
  }

  /** Path of the innermost open node, for messages. */
  private String path() {
    StringBuilder path = new StringBuilder();
    var nodes = open.descendingIterator();
    while (nodes.hasNext()) {
      String name = nodes.next().name;
      if (!name.isEmpty()) {
        path.append('/').append(name);
      }
    }
    return path.isEmpty() ? "/" : path.toString();
  }
}
