package dev.fleetbackup.model;

import java.util.Comparator;

/** A position in a config-repo file: path relative to the repo root, 1-based line and column. */
public record SourceLocation(String file, int line, int column) implements Comparable<SourceLocation> {

  private static final Comparator<SourceLocation> ORDER =
      Comparator.comparing(SourceLocation::file)
          .thenComparingInt(SourceLocation::line)
          .thenComparingInt(SourceLocation::column);

  public SourceLocation {
    if (file == null || file.isEmpty()) {
      throw new IllegalArgumentException("file must not be empty");
    }
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  public static SourceLocation startOf(String file) {
    return new SourceLocation(file, 1, 1);
  }

  @Override
  public int compareTo(SourceLocation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
