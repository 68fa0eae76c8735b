package dev.ovm.io.loader;

import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@link ElfLoader} loaded.
 *
 * @param entry guest-physical address to start at: e_entry, moved from the virtual to the
 *     physical address of the segment that holds it when the two differ
 * @param lowestAddress guest-physical address of the first loaded byte
 * @param endAddress guest-physical address one past the last loaded byte (bss included)
 * @param symbols the defined symbols of {@code .symtab}, name to value ({@code st_value})
 */
public record ElfImage(long entry, long lowestAddress, long endAddress, Map<String, Long> symbols) {

  /** Copies the symbol map so the record is immutable. */
  public ElfImage {
    symbols = Map.copyOf(symbols);
  }

  /**
   * The value of symbol {@code name} (e.g. {@code tohost}, {@code fromhost} for HTIF), or empty if
   * the file defines no such symbol or has no symbol table.
   */
  public OptionalLong symbol(String name) {
    Long value = symbols.get(name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
