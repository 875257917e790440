package dev.fleetbackup.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table as kubectl prints one: upper-case headers, columns two spaces apart, the last
 * column never padded (free text goes there), no trailing spaces.
 */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = List.of(header);
  }

  TextTable row(List<String> cells) {
    rows.add(cells.stream().map(Text::cell).toList());
    return this;
  }

  void appendTo(StringBuilder out, String indent) {
    int columns = header.size();
    int[] widths = new int[columns];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < columns - 1 && i < row.size(); i++) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        String cell = i < row.size() ? row.get(i) : "";
        line.append(cell);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - width(cell) + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /** Terminal columns a string takes: wide (East Asian, emoji such as ⏳) characters take two. */
  static int width(String text) {
    return text.codePoints().map(TextTable::width).sum();
  }

  private static int width(int c) {
    if (Character.getType(c) == Character.NON_SPACING_MARK || Character.getType(c) == Character.ENCLOSING_MARK
        || c == 0x200B || c == 0xFE0F) {
      return 0;
    }
    boolean wide = (c >= 0x1100 && c <= 0x115F)
        || c == 0x231A || c == 0x231B || (c >= 0x23E9 && c <= 0x23EC) || c == 0x23F0 || c == 0x23F3
        || c == 0x25FD || c == 0x25FE || c == 0x2614 || c == 0x2615 || c == 0x26A1 || c == 0x26AA || c == 0x26AB
        || c == 0x26BD || c == 0x26BE || c == 0x26C4 || c == 0x26C5 || c == 0x26D4 || c == 0x26EA || c == 0x26F5
        || c == 0x26FA || c == 0x26FD || c == 0x2705 || c == 0x274C || c == 0x274E || c == 0x2753 || c == 0x2757
        || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF)
        || (c >= 0x20000 && c <= 0x3FFFD);
    return wide ? 2 : 1;
  }
}
