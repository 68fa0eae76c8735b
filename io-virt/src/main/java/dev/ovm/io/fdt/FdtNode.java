package dev.ovm.io.fdt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One node of a parsed devicetree: its name ({@code ""} for the root), its properties in blob order
 * and its children in blob order. Built only by {@link FdtReader}; immutable once returned (the
 * accessors hand out copies of property values).
 *
 * <p>The typed accessors ({@link #u32}, {@link #string}, ...) throw {@link NoSuchElementException}
 * if the property is absent and {@link FdtFormatException} if its length does not fit the type.
 */
public final class FdtNode {
  private final String name;
  private final Map<String, byte[]> properties = new LinkedHashMap<>();
  private final List<FdtNode> children = new ArrayList<>();

  FdtNode(String name) {
    this.name = name;
  }

  /** Adds a property; false if the node already has one of that name. */
  boolean addProperty(String propertyName, byte[] value) {
    return properties.putIfAbsent(propertyName, value) == null;
  }

  /** Adds a child; false if the node already has a child of that name. */
  boolean addChild(FdtNode child) {
    if (child(child.name) != null) {
      return false;
    }
    children.add(child);
    return true;
  }

  /** The node's full name, {@code node-name[@unit-address]}; {@code ""} for the root. */
  public String name() {
    return name;
  }

  /** Names of the node's properties, in blob order. */
  public List<String> propertyNames() {
    return List.copyOf(properties.keySet());
  }

  /** The node's children, in blob order. */
  public List<FdtNode> children() {
    return Collections.unmodifiableList(children);
  }

  /** The child named {@code childName} (full name, with unit address), or null. */
  public @Nullable FdtNode child(String childName) {
    for (FdtNode child : children) {
      if (child.name.equals(childName)) {
        return child;
      }
    }
    return null;
  }

  /** True if the node has a property of that name. */
  public boolean has(String propertyName) {
    return properties.containsKey(propertyName);
  }

  /** A copy of the raw value of the property, or null if absent. */
  public byte @Nullable [] property(String propertyName) {
    byte[] value = properties.get(propertyName);
    return value == null ? null : value.clone();
  }

  /** The property as big-endian 32-bit cells. */
  public int[] u32Array(String propertyName) {
    ByteBuffer value = ByteBuffer.wrap(require(propertyName));
    if (value.remaining() % 4 != 0) {
      throw new FdtFormatException(
          "property " + propertyName + " of " + describe() + " is not a list of 32-bit cells");
    }
    int[] cells = new int[value.remaining() / 4];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = value.getInt();
    }
    return cells;
  }

  /** The property as exactly one 32-bit cell. */
  public int u32(String propertyName) {
    int[] cells = u32Array(propertyName);
    if (cells.length != 1) {
      throw new FdtFormatException(
          "property " + propertyName + " of " + describe() + " is not a single cell");
    }
    return cells[0];
  }

  /** The property as big-endian 64-bit values. */
  public long[] u64Array(String propertyName) {
    ByteBuffer value = ByteBuffer.wrap(require(propertyName));
    if (value.remaining() % 8 != 0) {
      throw new FdtFormatException(
          "property " + propertyName + " of " + describe() + " is not a list of 64-bit values");
    }
    long[] values = new long[value.remaining() / 8];
    for (int i = 0; i < values.length; i++) {
      values[i] = value.getLong();
    }
    return values;
  }

  /** The property as a list of NUL-terminated strings (DT spec {@code <stringlist>}). */
  public List<String> strings(String propertyName) {
    byte[] value = require(propertyName);
    if (value.length == 0 || value[value.length - 1] != 0) {
      throw new FdtFormatException(
          "property " + propertyName + " of " + describe() + " is not NUL-terminated");
    }
    List<String> strings = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (byte b : value) {
      if (b == 0) {
        strings.add(current.toString());
        current.setLength(0);
      } else {
        current.append((char) (b & 0xff));
      }
    }
    return strings;
  }

  /** The property as one NUL-terminated string (DT spec {@code <string>}). */
  public String string(String propertyName) {
    List<String> strings = strings(propertyName);
    if (strings.size() != 1) {
      throw new FdtFormatException(
          "property " + propertyName + " of " + describe() + " is not a single string");
    }
    return strings.get(0);
  }

  private byte[] require(String propertyName) {
    byte[] value = properties.get(propertyName);
    if (value == null) {
      throw new NoSuchElementException("node " + describe() + " has no property " + propertyName);
    }
    return value;
  }

  private String describe() {
    return name.isEmpty() ? "/" : name;
  }
}
