package dev.ovm.io.loader;

/**
 * The fields of an ELF64 file header (System V gABI, "ELF Header") that the loader uses, parsed and
 * checked for a little-endian RISC-V executable.
 */
record ElfHeader(long entry, long programHeaderOffset, int programHeaderCount,
    long sectionHeaderOffset, int sectionHeaderCount, int sectionNameIndex) {

  static final int SIZE = 64;
  static final int PROGRAM_HEADER_SIZE = 56;
  static final int SECTION_HEADER_SIZE = 64;

  private static final int ELFCLASS64 = 2;
  private static final int ELFDATA2LSB = 1;
  private static final int EV_CURRENT = 1;
  private static final int ET_EXEC = 2;
  private static final int EM_RISCV = 243;
  /** e_phnum value meaning "too many to count here" (gABI extended numbering). */
  private static final int PN_XNUM = 0xffff;

  /**
   * Parses and checks the header of {@code image}.
   *
   * @throws ImageException if it is not a 64-bit little-endian RISC-V executable
   */
  static ElfHeader parse(ImageBytes image) throws ImageException {
    if (!image.contains(0, 4) || image.u8(0) != 0x7f || image.u8(1) != 'E' || image.u8(2) != 'L'
        || image.u8(3) != 'F') {
      throw image.error("not an ELF file");
    }
    if (!image.contains(0, SIZE)) {
      throw image.error(String.format(
          "truncated ELF header (file is %d bytes, the header %d)", image.size(), SIZE));
    }
    int elfClass = image.u8(4);
    if (elfClass != ELFCLASS64) {
      throw image.error(String.format(
          "ELF class is %s (%d), expected 64-bit (2)", elfClass == 1 ? "32-bit" : "unknown",
          elfClass));
    }
    int data = image.u8(5);
    if (data != ELFDATA2LSB) {
      throw image.error(String.format(
          "ELF data encoding is %s (%d), expected little-endian (1)",
          data == 2 ? "big-endian" : "unknown", data));
    }
    if (image.u8(6) != EV_CURRENT) {
      throw image.error(String.format("ELF version is %d, expected 1", image.u8(6)));
    }
    int type = image.u16(16);
    if (type != ET_EXEC) {
      throw image.error(String.format(
          "ELF type is %s (%d), expected executable (2)", typeName(type), type));
    }
    int machine = image.u16(18);
    if (machine != EM_RISCV) {
      throw image.error(String.format(
          "ELF machine is %s (%d), expected RISC-V (243)", machineName(machine), machine));
    }
    long version = image.u32(20);
    if (version != EV_CURRENT) {
      throw image.error(String.format("ELF header e_version is %d, expected 1", version));
    }
    int headerSize = image.u16(52);
    if (headerSize != SIZE) {
      throw image.error(String.format("ELF header size is %d, expected %d", headerSize, SIZE));
    }
    int programHeaderCount = image.u16(56);
    if (programHeaderCount == 0 || programHeaderCount == PN_XNUM) {
      throw image.error(programHeaderCount == 0
          ? "no program headers" : "extended program header numbering is not supported");
    }
    int programHeaderSize = image.u16(54);
    if (programHeaderSize != PROGRAM_HEADER_SIZE) {
      throw image.error(String.format(
          "program header size is %d, expected %d", programHeaderSize, PROGRAM_HEADER_SIZE));
    }
    long programHeaderOffset = image.u64(32);
    if (!image.contains(programHeaderOffset, (long) programHeaderCount * PROGRAM_HEADER_SIZE)) {
      throw image.error(String.format(
          "program headers at 0x%x (%d of %d bytes) run past the end of the file (size 0x%x)",
          programHeaderOffset, programHeaderCount, PROGRAM_HEADER_SIZE, image.size()));
    }
    return new ElfHeader(image.u64(24), programHeaderOffset, programHeaderCount,
        image.u64(40), image.u16(60), image.u16(62));
  }

  /** Checks the section header fields; called only when symbols are wanted. */
  void checkSectionHeaders(ImageBytes image) throws ImageException {
    int sectionHeaderSize = image.u16(58);
    if (sectionHeaderSize != SECTION_HEADER_SIZE) {
      throw image.error(String.format(
          "section header size is %d, expected %d", sectionHeaderSize, SECTION_HEADER_SIZE));
    }
    if (!image.contains(sectionHeaderOffset, (long) sectionHeaderCount * SECTION_HEADER_SIZE)) {
      throw image.error(String.format(
          "section headers at 0x%x (%d of %d bytes) run past the end of the file (size 0x%x)",
          sectionHeaderOffset, sectionHeaderCount, SECTION_HEADER_SIZE, image.size()));
    }
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0 -> "none";
      case 1 -> "relocatable";
      case 3 -> "shared object";
      case 4 -> "core";
      default -> "unknown";
    };
  }

  private static String machineName(int machine) {
    return switch (machine) {
      case 0 -> "none";
      case 2 -> "SPARC";
      case 3 -> "x86";
      case 8 -> "MIPS";
      case 20 -> "PowerPC";
      case 21 -> "PowerPC64";
      case 22 -> "S/390";
      case 40 -> "ARM";
      case 62 -> "x86-64";
      case 183 -> "AArch64";
      case 258 -> "LoongArch";
      default -> "unknown";
    };
  }
}
