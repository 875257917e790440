package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The paths a config repo leaves out, as Flux's source-controller reads them: {@code .sourceignore}
 * files (gitignore syntax, JGit's matcher) at the root and in any folder, each relative to its
 * folder, a deeper file's rules before a shallower one's, and {@code --ignore} patterns above all.
 * The rules come from the repo, so their number, length and wildcards are bounded: JGit matches a
 * segment with several {@code *} by regular expression, whose cost grows with each one.
 */
final class Ignores {
  static final String FILE = ".sourceignore";
  static final int MAX_FILE_BYTES = 64 * 1024;
  /** Rules in all, every file and flag together, per commit. */
  static final int MAX_RULES = 256;
  static final int MAX_RULE_CHARS = 256;
  static final int MAX_STARS_PER_SEGMENT = 2;

  private record Scope(String folder, IgnoreNode rules) {}

  /** Rules counted so far, shared by every scope of one read. */
  private static final class Count {
    int rules;
  }

  private final Optional<IgnoreNode> flags;
  /** The {@code .sourceignore} files of the folders above, the root's first. */
  private final List<Scope> scopes;
  private final Count count;

  private Ignores(Optional<IgnoreNode> flags, List<Scope> scopes, Count count) {
    this.flags = flags;
    this.scopes = scopes;
    this.count = count;
  }

  /** The rules of {@code --ignore}, checked as a {@code .sourceignore} at the root would be. */
  static Ignores of(List<String> patterns) {
    Count count = new Count();
    List<FastIgnoreRule> rules = new ArrayList<>();
    for (String pattern : patterns) {
      problem(pattern, count).ifPresent(wrong -> {
        throw new IllegalArgumentException("--ignore: " + wrong);
      });
      rules.add(new FastIgnoreRule(pattern));
    }
    return new Ignores(rules.isEmpty() ? Optional.empty() : Optional.of(new IgnoreNode(rules)), List.of(), count);
  }

  /**
   * These rules and those of a folder's own {@code .sourceignore}, of {@code size} bytes, read only
   * if within the limit; a refusal of the file (too large, a bad rule) goes to {@code selection},
   * and the folder then adds no rule.
   */
  Ignores enter(String folder, long size, FileSelection.Content content, FileSelection selection) {
    String path = folder.isEmpty() ? FILE : folder + "/" + FILE;
    if (size > MAX_FILE_BYTES) {
      selection.refuse(path, Diagnostic.error(SourceLocation.startOf(path),
          "file is " + size + " bytes, over the limit of " + MAX_FILE_BYTES + " for an ignore file; refused"));
      return this;
    }
    byte[] sourceignore;
    try {
      sourceignore = content.read();
    } catch (IOException e) {
      selection.refuse(path, Diagnostic.error(SourceLocation.startOf(path), "cannot read: " + e.getMessage()));
      return this;
    }
    List<FastIgnoreRule> rules = new ArrayList<>();
    String[] lines = new String(sourceignore, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Optional<String> wrong = problem(line, count);
      if (wrong.isPresent()) {
        selection.refuse(path, Diagnostic.error(new SourceLocation(path, i + 1, 1), wrong.get() + "; the file is refused"));
        return this;
      }
      rules.add(new FastIgnoreRule(line));
    }
    if (rules.isEmpty()) {
      return this;
    }
    List<Scope> deeper = new ArrayList<>(scopes);
    deeper.add(new Scope(folder, new IgnoreNode(rules)));
    return new Ignores(flags, List.copyOf(deeper), count);
  }

  /** Whether {@code path} (from the repo root) is left out; the walk asks its parent folders first. */
  boolean ignored(String path, boolean folder) {
    Boolean verdict = flags.map(rules -> rules.checkIgnored(path, folder)).orElse(null);
    for (int i = scopes.size() - 1; verdict == null && i >= 0; i--) {
      Scope scope = scopes.get(i);
      if (scope.folder().isEmpty()) {
        verdict = scope.rules().checkIgnored(path, folder);
      } else if (path.startsWith(scope.folder() + "/")) {
        verdict = scope.rules().checkIgnored(path.substring(scope.folder().length() + 1), folder);
      }
    }
    return Boolean.TRUE.equals(verdict);
  }

  /** What is wrong with one rule, if anything; counts it against {@link #MAX_RULES}. */
  private static Optional<String> problem(String rule, Count count) {
    if (++count.rules > MAX_RULES) {
      return Optional.of("more than " + MAX_RULES + " ignore rules in all");
    }
    if (rule.length() > MAX_RULE_CHARS) {
      return Optional.of("a rule of " + rule.length() + " characters, over the limit of " + MAX_RULE_CHARS);
    }
    for (String segment : rule.split("/")) {
      long stars = segment.equals("**") ? 0 : segment.chars().filter(c -> c == '*').count();
      if (stars > MAX_STARS_PER_SEGMENT) {
        return Optional.of(SafeText.quote(rule) + " has " + stars + " '*' in one part, over the limit of "
            + MAX_STARS_PER_SEGMENT);
      }
    }
    if (new FastIgnoreRule(rule).isEmpty()) {
      return Optional.of(SafeText.quote(rule) + " is not a valid pattern");
    }
    return Optional.empty();
  }
}
