package dev.fleetbackup.model;

/**
 * The one escaping routine for text that leaves the process: a terminal, a CI log, a log line, a
 * status page. Whatever a config repo, a Secret or a cluster wrote, the result is one line that
 * shows every character it holds and can do nothing else: control characters (line breaks,
 * terminal escape sequences), line and paragraph separators and Unicode format characters (bidi
 * overrides, zero-width characters) become visible escapes such as {@code \n}, {@code \x1b} and
 * {@code \u202e}, and a leading {@code ::} (a GitHub Actions workflow command) loses its power.
 *
 * <p>Renderers with rules of their own (Markdown, JSON) build on this; they never undo it.
 */
public final class SafeText {
  /** How much of a user-supplied string a message quotes, in code points. */
  public static final int QUOTE_LIMIT = 120;
  public static final String ELLIPSIS = "…";

  private SafeText() {}

  /** {@code text} on one line, every control and format character escaped. */
  public static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> escape(c, out));
    int start = 0;
    while (start < out.length() && (out.charAt(start) == ' ' || out.charAt(start) == '\t')) {
      start++;
    }
    if (out.length() - start >= 2 && out.charAt(start) == ':' && out.charAt(start + 1) == ':') {
      // GitHub Actions reads "::command" at the start of a line (after blanks) as an instruction
      out.replace(start, start + 1, "\\x3a");
    }
    return out.toString();
  }

  /** At most {@code limit} code points of {@code text}, with an ellipsis when some were cut. */
  public static String truncate(String text, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (text.codePointCount(0, text.length()) <= limit) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, limit - 1)) + ELLIPSIS;
  }

  /** A user-supplied string as a message quotes it: cut to {@link #QUOTE_LIMIT}, on one line, in double quotes. */
  public static String quote(String text) {
    return "\"" + oneLine(truncate(text, QUOTE_LIMIT)) + "\"";
  }

  /** Whether {@code text} holds a character {@link #oneLine} would escape. */
  public static boolean hasControlOrFormat(String text) {
    return text.codePoints().anyMatch(SafeText::mustEscape);
  }

  private static boolean mustEscape(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT;
  }

  private static void escape(int c, StringBuilder out) {
    if (!mustEscape(c)) {
      out.appendCodePoint(c);
      return;
    }
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (c < 0x100) {
          out.append(String.format("\\x%02x", c));
        } else {
          out.append(String.format("\\u%04x", c));
        }
      }
    }
  }
}
