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
 *
 * <p>The repo's rules are hostile input. JGit matches a wildcard segment by regular expression,
 * against every segment of a path for a rule without {@code /}, and a {@code **} against every
 * split of it. Measured on this JGit, two {@code *} in a segment cost 0.8 ms a path for 256 rules,
 * quadratic in the name's length. So a rule may hold one {@code *} per segment and one {@code **},
 * and the matching of one read is bounded by {@link #MAX_WORK}: characters of paths matched against
 * rules, a {@code **} rule counted once per folder of the path. The same commit always gets the
 * same verdict, and a commit past the bound is rejected, never half-ignored.
 */
final class Ignores {
  static final String FILE = ".sourceignore";
  static final int MAX_FILE_BYTES = 64 * 1024;
  /** Rules in all, every file and flag together, per read. */
  static final int MAX_RULES = 256;
  static final int MAX_RULE_CHARS = 256;
  /**
   * Characters of paths matched against rules per read: a 20,000-file repo's 50-character paths
   * against 20 rules; 4 s at the worst cost measured, 0.2 µs a character ({@code ?*?} on a
   * 255-character name).
   */
  static final long MAX_WORK = 20_000_000;

  /** One folder's rules: {@code anyDepth} of them hold a {@code **}. */
  private record Scope(String file, String folder, IgnoreNode rules, int plain, int anyDepth) {
    long cost(String path) {
      long folders = path.chars().filter(c -> c == '/').count() + 1;
      return path.length() * (plain + anyDepth * folders);
    }
  }

  /** What one read has spent, shared by every folder's rules. */
  private static final class Work {
    final FileSelection selection;
    int rules;
    long matched;
    boolean exhausted;

    Work(FileSelection selection) {
      this.selection = selection;
    }
  }

  private final Optional<IgnoreNode> flags;
  /** The {@code .sourceignore} files of the folders above, the root's first. */
  private final List<Scope> scopes;
  private final Work work;

  private Ignores(Optional<IgnoreNode> flags, List<Scope> scopes, Work work) {
    this.flags = flags;
    this.scopes = scopes;
    this.work = work;
  }

  /** @throws IllegalArgumentException naming the first of {@code patterns} that is refused */
  static void check(List<String> patterns) {
    rules(patterns, new Work(null));
  }

  /** The rules of one read: the {@code --ignore} patterns, to which each folder's own are added. */
  static Ignores forRead(IgnorePatterns ignore, FileSelection selection) {
    Work work = new Work(selection);
    List<FastIgnoreRule> rules = rules(ignore.patterns(), work);
    return new Ignores(rules.isEmpty() ? Optional.empty() : Optional.of(new IgnoreNode(rules)), List.of(), work);
  }

  private static List<FastIgnoreRule> rules(List<String> patterns, Work work) {
    List<FastIgnoreRule> rules = new ArrayList<>();
    for (String pattern : patterns) {
      problem(pattern, work).ifPresent(wrong -> {
        throw new IllegalArgumentException("--ignore: " + wrong);
      });
      rules.add(new FastIgnoreRule(pattern));
    }
    return rules;
  }

  /**
   * These rules and those of a folder's own {@code .sourceignore}, of {@code size} bytes, read only
   * if within the limit; a refusal of the file (too large, a bad rule) is a diagnostic of the read,
   * and the folder then adds no rule.
   */
  Ignores enter(String folder, long size, FileSelection.Content content) {
    String path = folder.isEmpty() ? FILE : folder + "/" + FILE;
    if (size > MAX_FILE_BYTES) {
      return refuse(path, 1, "file is " + size + " bytes, over the limit of " + MAX_FILE_BYTES + " for an ignore file");
    }
    String text;
    try {
      text = new String(content.read(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return refuse(path, 1, "cannot read: " + e.getMessage());
    }
    List<FastIgnoreRule> rules = new ArrayList<>();
    int anyDepth = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Optional<String> wrong = problem(line, work);
      if (wrong.isPresent()) {
        return refuse(path, i + 1, wrong.get());
      }
      rules.add(new FastIgnoreRule(line));
      anyDepth += line.contains("**") ? 1 : 0;
    }
    if (rules.isEmpty()) {
      return this;
    }
    List<Scope> deeper = new ArrayList<>(scopes);
    deeper.add(new Scope(path, folder, new IgnoreNode(rules), rules.size() - anyDepth, anyDepth));
    return new Ignores(flags, List.copyOf(deeper), work);
  }

  private Ignores refuse(String path, int line, String why) {
    work.selection.refuse(path, Diagnostic.error(new SourceLocation(path, line, 1), why + "; the file is refused"));
    return this;
  }

  /** Whether {@code path} (from the repo root) is left out; the walk asks its parent folders first. */
  boolean ignored(String path, boolean folder) {
    Boolean verdict = flags.map(rules -> rules.checkIgnored(path, folder)).orElse(null);
    for (int i = scopes.size() - 1; verdict == null && i >= 0 && !work.exhausted; i--) {
      Scope scope = scopes.get(i);
      String inside = scope.folder().isEmpty() ? path
          : path.startsWith(scope.folder() + "/") ? path.substring(scope.folder().length() + 1) : null;
      if (inside == null) {
        continue;
      }
      work.matched += scope.cost(inside);
      if (work.matched > MAX_WORK) {
        work.exhausted = true;
        refuse(scope.file(), 1, "its rules, matched against the commit's paths, come to more than " + MAX_WORK
            + " characters of matching, the limit for a commit (at " + SafeText.quote(path) + ")");
        return false;
      }
      verdict = scope.rules().checkIgnored(inside, folder);
    }
    return Boolean.TRUE.equals(verdict);
  }

  /** What is wrong with one rule, if anything; counts it against {@link #MAX_RULES}. */
  private static Optional<String> problem(String rule, Work work) {
    if (++work.rules > MAX_RULES) {
      return Optional.of("more than " + MAX_RULES + " ignore rules in all");
    }
    if (rule.length() > MAX_RULE_CHARS) {
      return Optional.of("a rule of " + rule.length() + " characters, over the limit of " + MAX_RULE_CHARS);
    }
    int anyDepth = 0;
    for (String segment : rule.split("/")) {
      if (segment.equals("**")) {
        anyDepth++;
      } else if (segment.indexOf('*') != segment.lastIndexOf('*')) {
        return Optional.of(SafeText.quote(rule) + " has more than one '*' between two '/', which costs too much to match");
      }
    }
    if (anyDepth > 1) {
      return Optional.of(SafeText.quote(rule) + " has more than one '**', which costs too much to match");
    }
    if (new FastIgnoreRule(rule).isEmpty()) {
      return Optional.of(SafeText.quote(rule) + " is not a valid pattern");
    }
    return Optional.empty();
  }
}
