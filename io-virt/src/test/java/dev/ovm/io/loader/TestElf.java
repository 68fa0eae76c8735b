package dev.ovm.io.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small ELF64 little-endian files for the loader tests (System V gABI layouts): a header,
 * program headers, segment bytes, and a section table with {@code .symtab}, {@code .strtab} and
 * {@code .shstrtab}. Fields are public so a test can break exactly one of them; {@link #offsets}
 * tells where things landed in the last built file.
 */
final class TestElf {
  /** A program header and its file bytes. */
  record Segment(int type, long virtualAddress, long physicalAddress, byte[] data, long memorySize) {
    static Segment load(long address, byte[] data, long memorySize) {
      return new Segment(1, address, address, data, memorySize);
    }
  }

  /** Where parts of the last built file are. */
  record Offsets(int programHeaders, List<Integer> segmentData, int symtab, int strtab,
      int sectionHeaders) {}

  int elfClass = 2;
  int data = 1;
  int identVersion = 1;
  int type = 2;
  int machine = 243;
  long version = 1;
  long entry = 0x8000_0000L;
  int headerSize = 64;
  int programHeaderSize = 56;
  int sectionHeaderSize = 64;
  boolean withSymbols = true;
  final List<Segment> segments = new ArrayList<>();
  final Map<String, Long> globals = new LinkedHashMap<>();
  final Map<String, Long> locals = new LinkedHashMap<>();
  Offsets offsets = new Offsets(0, List.of(), 0, 0, 0);

  TestElf segment(Segment segment) {
    segments.add(segment);
    return this;
  }

  /** The classic test program: code at 0x80000000, data with bss at 0x80001000, tohost/fromhost. */
  static TestElf typical() {
    TestElf elf = new TestElf();
    elf.segment(Segment.load(0x8000_0000L, bytes(0x13, 0, 0, 0, 0x6f, 0, 0, 0), 8));
    elf.segment(Segment.load(0x8000_1000L, bytes(1, 2, 3, 4, 5, 6, 7, 8), 0x100));
    elf.globals.put("tohost", 0x8000_1000L);
    elf.globals.put("fromhost", 0x8000_1040L);
    elf.locals.put("loop", 0x8000_0004L);
    return elf;
  }

  static byte[] bytes(int... values) {
    byte[] result = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (byte) values[i];
    }
    return result;
  }

  byte[] build() {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new byte[64 + segments.size() * 56]);
    List<Integer> dataOffsets = new ArrayList<>();
    for (Segment segment : segments) {
      align(file, 8);
      dataOffsets.add(file.size());
      file.writeBytes(segment.data());
    }
    // .strtab and .symtab: locals first, as the gABI asks (sh_info = first non-local).
    ByteArrayOutputStream strtab = new ByteArrayOutputStream();
    strtab.write(0);
    ByteBuffer symtab = le(24 * (1 + locals.size() + globals.size()));
    symtab.position(24);
    addSymbols(symtab, strtab, locals, 0);
    addSymbols(symtab, strtab, globals, 1);
    align(file, 8);
    int strtabOffset = file.size();
    file.writeBytes(strtab.toByteArray());
    align(file, 8);
    int symtabOffset = file.size();
    file.writeBytes(symtab.array());
    int shstrtabOffset = file.size();
    byte[] shstrtab = "\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
    file.writeBytes(shstrtab);
    align(file, 8);
    int sectionHeaders = file.size();
    ByteBuffer sections = le(4 * 64);
    section(sections, 1, 1, 2, symtabOffset, symtab.capacity(), 2, 1 + locals.size(), 24);
    section(sections, 2, 9, 3, strtabOffset, strtab.size(), 0, 0, 0);
    section(sections, 3, 17, 3, shstrtabOffset, shstrtab.length, 0, 0, 0);
    file.writeBytes(sections.array());

    byte[] bytes = file.toByteArray();
    ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put(0, new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) data, (byte) identVersion});
    out.putShort(16, (short) type);
    out.putShort(18, (short) machine);
    out.putInt(20, (int) version);
    out.putLong(24, entry);
    out.putLong(32, 64);
    out.putLong(40, withSymbols ? sectionHeaders : 0);
    out.putShort(52, (short) headerSize);
    out.putShort(54, (short) programHeaderSize);
    out.putShort(56, (short) segments.size());
    out.putShort(58, (short) sectionHeaderSize);
    out.putShort(60, (short) (withSymbols ? 4 : 0));
    out.putShort(62, (short) (withSymbols ? 3 : 0));
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      int at = 64 + i * 56;
      out.putInt(at, segment.type());
      out.putInt(at + 4, 7); // PF_R | PF_W | PF_X
      out.putLong(at + 8, dataOffsets.get(i));
      out.putLong(at + 16, segment.virtualAddress());
      out.putLong(at + 24, segment.physicalAddress());
      out.putLong(at + 32, segment.data().length);
      out.putLong(at + 40, segment.memorySize());
      out.putLong(at + 48, 8);
    }
    offsets = new Offsets(64, List.copyOf(dataOffsets), symtabOffset, strtabOffset, sectionHeaders);
    return bytes;
  }

  private static void addSymbols(ByteBuffer symtab, ByteArrayOutputStream strtab,
      Map<String, Long> symbols, int binding) {
    for (var symbol : symbols.entrySet()) {
      int nameOffset = strtab.size();
      strtab.writeBytes(symbol.getKey().getBytes(StandardCharsets.US_ASCII));
      strtab.write(0);
      symtab.putInt(nameOffset);
      symtab.put((byte) (binding << 4 | 1)); // STT_OBJECT
      symtab.put((byte) 0);
      symtab.putShort((short) 1); // defined in some section
      symtab.putLong(symbol.getValue());
      symtab.putLong(8);
    }
  }

  private static void section(ByteBuffer sections, int index, int name, int type, long offset,
      long size, int link, int info, long entrySize) {
    int at = index * 64;
    sections.putInt(at, name);
    sections.putInt(at + 4, type);
    sections.putLong(at + 24, offset);
    sections.putLong(at + 32, size);
    sections.putInt(at + 40, link);
    sections.putInt(at + 44, info);
    sections.putLong(at + 48, 8);
    sections.putLong(at + 56, entrySize);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void align(ByteArrayOutputStream file, int alignment) {
    while (file.size() % alignment != 0) {
      file.write(0);
    }
  }
}
