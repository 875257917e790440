package dev.fleetbackup.source;

import java.util.List;

/**
 * {@code --ignore} patterns: paths left out of every read of the config repo, in
 * {@code .sourceignore} (gitignore) syntax, taking precedence over the repo's own ignore files.
 */
public record IgnorePatterns(List<String> patterns) {
  public static final IgnorePatterns NONE = new IgnorePatterns(List.of());

  /** @throws IllegalArgumentException naming the pattern that is refused, and why */
  public IgnorePatterns {
    patterns = List.copyOf(patterns);
    Ignores.check(patterns);
  }
}
