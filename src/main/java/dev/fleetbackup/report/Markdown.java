package dev.fleetbackup.report;

import java.util.ArrayList;
import java.util.List;

/** GitHub/GitLab-flavoured Markdown pieces that stay safe whatever a cluster or a user wrote. */
final class Markdown {
  private static final String PUNCTUATION = "\\`*_[]<>|~&#!";

  private Markdown() {}

  /** Free text on one line, every Markdown and HTML character escaped (also {@code |} for tables). */
  static String text(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : Text.oneLine(text).toCharArray()) {
      if (PUNCTUATION.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** A code span, fenced by more backticks than the text holds; {@code |} escaped for tables. */
  static String code(String text) {
    String line = Text.oneLine(text);
    int longest = 0;
    int run = 0;
    for (char c : line.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String padded = line.startsWith("`") || line.endsWith("`") ? " " + line + " " : line;
    return fence + padded.replace("|", "\\|") + fence;
  }

  /** {@code [`default/nightly`](backups/default/nightly.yaml)}: a path relative to the README. */
  static String codeLink(String text, String path) {
    return "[" + code(text) + "](" + path + ")";
  }

  /** A table; rows shorter than the header are padded with empty cells. */
  static final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> header) {
      this.header = List.copyOf(header);
    }

    Table row(List<String> cells) {
      rows.add(List.copyOf(cells));
      return this;
    }

    boolean isEmpty() {
      return rows.isEmpty();
    }

    void appendTo(StringBuilder out) {
      line(out, header);
      out.append('|');
      for (int i = 0; i < header.size(); i++) {
        out.append("---|");
      }
      out.append('\n');
      for (List<String> row : rows) {
        line(out, row);
      }
    }

    private void line(StringBuilder out, List<String> cells) {
      out.append('|');
      for (int i = 0; i < header.size(); i++) {
        String cell = i < cells.size() ? cells.get(i) : "";
        out.append(cell.isEmpty() ? " " : " " + cell + " ").append('|');
      }
      out.append('\n');
    }
  }
}
