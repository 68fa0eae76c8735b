package dev.ovm.io.loader;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the symbol table ({@code .symtab}, SHT_SYMTAB) and its string table (the section its
 * {@code sh_link} names) of an ELF64 file (System V gABI, "Symbol Table"). Only defined symbols
 * with names are kept, and a global or weak symbol wins over a local one of the same name. A file
 * without section headers or without a symbol table has no symbols; a malformed table is an error.
 */
final class ElfSymbols {
  private ElfSymbols() {}

  private static final int SHT_SYMTAB = 2;
  private static final int SHT_STRTAB = 3;
  private static final int SYMBOL_SIZE = 24;
  private static final int SHN_UNDEF = 0;
  private static final int STT_SECTION = 3;
  private static final int STT_FILE = 4;
  private static final int STB_LOCAL = 0;

  /** Name to value ({@code st_value}) of the defined symbols. */
  static Map<String, Long> read(ImageBytes image, ElfHeader header) throws ImageException {
    Map<String, Long> symbols = new HashMap<>();
    if (header.sectionHeaderOffset() == 0 || header.sectionHeaderCount() == 0) {
      return symbols;
    }
    header.checkSectionHeaders(image);
    for (int index = 0; index < header.sectionHeaderCount(); index++) {
      long section = sectionHeader(header, index);
      if (image.u32(section + 4) == SHT_SYMTAB) {
        readTable(image, header, section, symbols);
        break;
      }
    }
    return symbols;
  }

  private static long sectionHeader(ElfHeader header, int index) {
    return header.sectionHeaderOffset() + (long) index * ElfHeader.SECTION_HEADER_SIZE;
  }

  private static void readTable(ImageBytes image, ElfHeader header, long symtab,
      Map<String, Long> symbols) throws ImageException {
    long offset = image.u64(symtab + 24);
    long size = image.u64(symtab + 32);
    long link = image.u32(symtab + 40);
    long entrySize = image.u64(symtab + 56);
    if (entrySize != SYMBOL_SIZE || size % SYMBOL_SIZE != 0 || !image.contains(offset, size)) {
      throw image.error(String.format(
          "symbol table at 0x%x (size 0x%x, entries of %d bytes) is malformed or runs past the"
              + " end of the file", offset, size, entrySize));
    }
    if (link >= header.sectionHeaderCount()) {
      throw image.error(String.format("symbol table links to missing section %d", link));
    }
    long strtab = sectionHeader(header, (int) link);
    long stringsOffset = image.u64(strtab + 24);
    long stringsSize = image.u64(strtab + 32);
    if (image.u32(strtab + 4) != SHT_STRTAB || !image.contains(stringsOffset, stringsSize)) {
      throw image.error(String.format(
          "string table of the symbol table (section %d) is not a string table inside the file",
          link));
    }
    for (long entry = offset; entry < offset + size; entry += SYMBOL_SIZE) {
      long nameOffset = image.u32(entry);
      int info = image.u8(entry + 4);
      int sectionIndex = image.u16(entry + 6);
      int type = info & 0xf;
      if (nameOffset == 0 || sectionIndex == SHN_UNDEF || type == STT_SECTION || type == STT_FILE) {
        continue;
      }
      if (nameOffset >= stringsSize) {
        throw image.error(String.format(
            "symbol at 0x%x has name offset 0x%x outside its string table", entry, nameOffset));
      }
      String name = image.string(stringsOffset + nameOffset, stringsOffset + stringsSize,
          "symbol name");
      long value = image.u64(entry + 8);
      if ((info >> 4) == STB_LOCAL) {
        symbols.putIfAbsent(name, value);
      } else {
        symbols.put(name, value);
      }
    }
  }
}
