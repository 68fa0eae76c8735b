package dev.ovm.io.fdt;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses a flattened devicetree blob (Devicetree Specification v0.4, chapter 5) into a tree of
 * {@link FdtNode}s. Meant for checking blobs (tests, {@code ovm dtb}), not for speed.
 *
 * <p>Every offset and length in the blob is checked before it is used: a malformed blob, however
 * it is damaged, makes {@link #read} throw {@link FdtFormatException} and nothing else. Accepted
 * blobs are version 17 (or later, compatible with 17) with the blocks inside {@code totalsize},
 * a structure block that holds exactly one root node followed by {@code FDT_END}, properties
 * before subnodes, and no repeated property or sibling names.
 */
public final class FdtReader {
  /*
   * Offsets are kept as long while they are checked so that sums of 32-bit fields cannot wrap;
   * each is narrowed to int only once it is known to lie inside the blob.
   */
  private final ByteBuffer blob;
  private final int structureEnd;
  private final int stringsStart;
  private final int stringsEnd;
  private int position;

  private FdtReader(ByteBuffer blob, int structureStart, int structureEnd, int stringsStart,
      int stringsEnd) {
    this.blob = blob;
    this.position = structureStart;
    this.structureEnd = structureEnd;
    this.stringsStart = stringsStart;
    this.stringsEnd = stringsEnd;
  }

  /**
   * Parses {@code dtb}.
   *
   * @throws FdtFormatException if the blob is malformed; the message says where and how
   */
  public static FdtTree read(byte[] dtb) {
    ByteBuffer blob = ByteBuffer.wrap(dtb);
    if (dtb.length < FdtFormat.HEADER_SIZE) {
      throw new FdtFormatException(
          "blob of " + dtb.length + " bytes is shorter than the 40-byte header");
    }
    if (blob.getInt(0) != FdtFormat.MAGIC) {
      throw new FdtFormatException(
          String.format("bad magic 0x%08x, expected 0xd00dfeed", blob.getInt(0)));
    }
    long totalSize = unsigned(blob.getInt(4));
    if (totalSize < FdtFormat.HEADER_SIZE || totalSize > dtb.length) {
      throw new FdtFormatException(String.format(
          "totalsize %d does not lie between the header size and the blob's %d bytes",
          totalSize, dtb.length));
    }
    int version = blob.getInt(20);
    int lastCompatible = blob.getInt(24);
    if (version < FdtFormat.VERSION || lastCompatible < 0
        || lastCompatible > FdtFormat.VERSION) {
      throw new FdtFormatException(String.format(
          "unsupported version %d (last compatible %d); version 17 is read",
          version, lastCompatible));
    }
    int structureStart = block(blob, 8, 36, totalSize, "structure");
    int structureEnd = structureStart + blob.getInt(36);
    int stringsStart = block(blob, 12, 32, totalSize, "strings");
    int stringsEnd = stringsStart + blob.getInt(32);
    if ((structureStart & 3) != 0) {
      throw new FdtFormatException(
          String.format("structure block at 0x%x is not 4-byte aligned", structureStart));
    }
    List<FdtTree.Reservation> reservations = reservations(blob, totalSize);
    FdtReader reader =
        new FdtReader(blob, structureStart, structureEnd, stringsStart, stringsEnd);
    FdtNode root = reader.structure();
    return new FdtTree(version, blob.getInt(28), reservations, root);
  }

  /** Checks a block given by header fields at {@code offsetField}/{@code sizeField}; its start. */
  private static int block(ByteBuffer blob, int offsetField, int sizeField, long totalSize,
      String what) {
    long offset = unsigned(blob.getInt(offsetField));
    long size = unsigned(blob.getInt(sizeField));
    if (offset < FdtFormat.HEADER_SIZE || offset + size > totalSize) {
      throw new FdtFormatException(String.format(
          "%s block 0x%x+0x%x does not lie between the header and totalsize 0x%x",
          what, offset, size, totalSize));
    }
    return (int) offset;
  }

  private static List<FdtTree.Reservation> reservations(ByteBuffer blob, long totalSize) {
    long offset = unsigned(blob.getInt(16));
    if (offset < FdtFormat.HEADER_SIZE || (offset & 7) != 0) {
      throw new FdtFormatException(String.format(
          "memory reservation block at 0x%x is not 8-byte aligned after the header", offset));
    }
    List<FdtTree.Reservation> entries = new ArrayList<>();
    while (true) {
      if (offset + FdtFormat.RESERVATION_ENTRY_SIZE > totalSize) {
        throw new FdtFormatException(String.format(
            "memory reservation block runs past totalsize 0x%x without a terminating entry",
            totalSize));
      }
      long address = blob.getLong((int) offset);
      long size = blob.getLong((int) offset + 8);
      if (address == 0 && size == 0) {
        return entries;
      }
      entries.add(new FdtTree.Reservation(address, size));
      offset += FdtFormat.RESERVATION_ENTRY_SIZE;
    }
  }

  /** Parses the structure block: one root node, then FDT_END (DT spec 5.4). */
  private FdtNode structure() {
    int token = nextToken();
    if (token != FdtFormat.FDT_BEGIN_NODE) {
      throw error("structure block does not start with FDT_BEGIN_NODE");
    }
    String rootName = nodeName();
    if (!rootName.isEmpty()) {
      throw error("root node has the name \"" + rootName + "\", expected \"\"");
    }
    FdtNode root = new FdtNode("");
    Deque<FdtNode> open = new ArrayDeque<>();
    open.push(root);
    boolean childSeen = false;
    while (true) {
      FdtNode node = open.peek();
      if (node == null) {
        break;
      }
      int tokenStart = position;
      token = nextToken();
      switch (token) {
        case FdtFormat.FDT_BEGIN_NODE -> {
          FdtNode child = new FdtNode(nodeName());
          if (child.name().isEmpty() || !node.addChild(child)) {
            throw errorAt(tokenStart, "empty or repeated node name \"" + child.name() + "\"");
          }
          open.push(child);
          childSeen = false;
        }
        case FdtFormat.FDT_END_NODE -> {
          open.pop();
          childSeen = true;
        }
        case FdtFormat.FDT_PROP -> {
          if (childSeen) {
            throw errorAt(tokenStart, "property after a subnode");
          }
          property(node, tokenStart);
        }
        default -> throw errorAt(tokenStart, String.format("unexpected token 0x%x", token));
      }
    }
    if (nextToken() != FdtFormat.FDT_END) {
      throw error("root node is not followed by FDT_END");
    }
    return root;
  }

  private void property(FdtNode node, int tokenStart) {
    int length = u32();
    long nameOffset = unsigned(u32());
    if (length < 0 || length > structureEnd - position) {
      throw errorAt(tokenStart, "property value runs past the structure block");
    }
    if (nameOffset >= stringsEnd - stringsStart) {
      throw errorAt(tokenStart,
          String.format("property name offset 0x%x outside the strings block", nameOffset));
    }
    String name = string(stringsStart + (int) nameOffset, stringsEnd, "property name");
    byte[] value = new byte[length];
    blob.get(position, value);
    position = FdtFormat.align4(position + length);
    if (!node.addProperty(name, value)) {
      throw errorAt(tokenStart, "repeated property " + name);
    }
  }

  /** Next token, skipping FDT_NOP (DT spec 5.4.1). */
  private int nextToken() {
    int token;
    do {
      token = u32();
    } while (token == FdtFormat.FDT_NOP);
    return token;
  }

  private String nodeName() {
    String name = string(position, structureEnd, "node name");
    position = FdtFormat.align4(position + name.length() + 1);
    return name;
  }

  /** NUL-terminated string at {@code start}, which must end before {@code end}. */
  private String string(int start, int end, String what) {
    StringBuilder text = new StringBuilder();
    for (int i = start; i < end; i++) {
      byte b = blob.get(i);
      if (b == 0) {
        return text.toString();
      }
      text.append((char) (b & 0xff));
    }
    throw errorAt(start, what + " is not NUL-terminated inside its block");
  }

  private int u32() {
    if (position < 0 || position > structureEnd - 4) {
      throw error("structure block ends in the middle of a token");
    }
    int value = blob.getInt(position);
    position += 4;
    return value;
  }

  private FdtFormatException error(String message) {
    return errorAt(position, message);
  }

  private static FdtFormatException errorAt(int offset, String message) {
    return new FdtFormatException(String.format("at offset 0x%x: %s", offset, message));
  }

  private static long unsigned(int value) {
    return value & 0xffff_ffffL;
  }
}
