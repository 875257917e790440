package dev.fleetbackup.report;

import java.util.ArrayList;
import java.util.List;

/**
 * GitHub/GitLab-flavoured Markdown pieces that stay safe whatever a cluster or a user wrote: one
 * line ({@link Text#cell}, so no control or format character such as a bidi override survives),
 * at most {@link Text#CELL_LIMIT} code points, no autolink, and no HTML but the {@code <code>} of
 * {@link #nowrap} around text made of entities.
 */
final class Markdown {
  private static final String PUNCTUATION = "\\`*_[]<>|~&#!";
  /**
   * An empty HTML comment: a node of its own, so that no e-mail address or {@code @mention} forms
   * across it. cmark-gfm finds e-mail autolinks after merging adjacent text, so no backslash escape
   * breaks one; the forges hide comments.
   */
  private static final String SPLIT = "<!-- -->";

  private Markdown() {}

  /**
   * Free text on one line, every Markdown and HTML character escaped (also {@code |} for tables),
   * and no autolink: GitHub's autolink extension (cmark-gfm) links {@code scheme://} at its
   * {@code :} and {@code www.} at its {@code w} while it parses, so a backslash before that
   * {@code :} or {@code .} stops it; an e-mail address it links after parsing (see {@link #SPLIT}).
   */
  static String text(String text) {
    String line = Text.cell(text);
    StringBuilder out = new StringBuilder(line.length() + 16);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (PUNCTUATION.indexOf(c) >= 0 || c == ':' && line.startsWith("//", i + 1) || c == '.' && afterWww(line, i)) {
        out.append('\\');
      }
      out.append(c);
      if (c == '@') {
        out.append(SPLIT);
      }
    }
    return out.toString();
  }

  private static boolean afterWww(String line, int dot) {
    return dot >= 3 && line.regionMatches(true, dot - 3, "www", 0, 3);
  }

  /** A code span, fenced by more backticks than the text holds; {@code |} escaped for tables. */
  static String code(String text) {
    String line = Text.cell(text);
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

  /**
   * A code span that does not wrap, as {@code <code>0&nbsp;2&nbsp;&#42;…</code>}: GitHub breaks a
   * code span at its spaces, and a cron expression broken in two reads as two. Every character
   * that is no letter or digit is written as a numeric entity, so no text becomes Markdown or HTML.
   */
  static String nowrap(String text) {
    String line = Text.cell(text);
    StringBuilder out = new StringBuilder("<code>");
    line.codePoints().forEach(c -> {
      if (c == ' ') {
        out.append("&nbsp;");
      } else if (c < 0x80 && Character.isLetterOrDigit(c)) {
        out.appendCodePoint(c);
      } else {
        out.append("&#").append(c).append(';');
      }
    });
    return out.append("</code>").toString();
  }

  /**
   * {@code [text](url)}: {@code text} is Markdown already made safe, {@code url} one whose characters
   * cannot end the link (a {@link ForgeLinks} link).
   */
  static String link(String text, String url) {
    return "[" + text + "](" + url + ")";
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
