package dev.fleetbackup.cli;

import dev.fleetbackup.diff.Change;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code KUBECTL_EXTERNAL_DIFF}, as kubectl honours it: the operator's own program, run once with
 * two folders, {@code live} and {@code merged}, holding for each cluster ({@code live/<cluster>/})
 * each object that would change as YAML of the fields fleet-backup owns, Secret values masked as in
 * fleet-backup's own diff; an object that does not exist on one side has no file there. The value is
 * split at spaces into the program and its options, and as kubectl does, an option of other
 * characters than letters, digits, {@code -} and {@code =} is dropped; the program gets an argument
 * list, never a shell. It exits 0 for no differences, 1 for differences, anything else is an error.
 */
final class ExternalDiff {
  static final String ENV = "KUBECTL_EXTERNAL_DIFF";
  private static final Pattern OPTION = Pattern.compile("[a-zA-Z0-9=-]+");
  private static final Pattern UNSAFE_IN_FILE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

  private final List<String> command;

  private ExternalDiff(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** The program {@code $KUBECTL_EXTERNAL_DIFF} names, if it names one. */
  static Optional<ExternalDiff> from(Map<String, String> environment) {
    String value = environment.getOrDefault(ENV, "").strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String[] words = value.split(" ");
    List<String> command = new ArrayList<>(List.of(words[0]));
    for (int i = 1; i < words.length; i++) {
      if (OPTION.matcher(words[i]).matches()) {
        command.add(words[i]);
      }
    }
    return Optional.of(new ExternalDiff(command));
  }

  /** One cluster's changes. */
  record Member(String cluster, List<Change> changes) {}

  /**
   * Writes the two folders, runs the program on them (its output copied to {@code out}) and
   * removes them again.
   *
   * @return the program's exit status, 0 or 1
   * @throws ExternalDiffFailed when it could not run or exited above 1
   */
  int run(List<Member> members, PrintWriter out) throws ExternalDiffFailed {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fleet-backup-diff-"); // owner-only on POSIX file systems
      Path live = Files.createDirectory(dir.resolve("live"));
      Path merged = Files.createDirectory(dir.resolve("merged"));
      for (Member member : members) {
        for (Change change : member.changes()) {
          if (change.diff().isEmpty()) {
            continue;
          }
          String namespace = change.ref().namespace().isEmpty() ? "" : change.ref().namespace() + ".";
          String file = fileName(change.ref().kind().kind() + "." + namespace + change.ref().name()) + ".yaml";
          write(live, member.cluster(), file, change.live());
          write(merged, member.cluster(), file, change.merged());
        }
      }
      List<String> argv = new ArrayList<>(command);
      argv.add(live.toString());
      argv.add(merged.toString());
      Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      try (Reader output = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
        output.transferTo(out); // as it comes: a diff of a large fleet is not held in memory
      }
      int exit = process.waitFor();
      if (exit > 1) {
        throw new ExternalDiffFailed("$" + ENV + " program " + command.get(0) + " exited " + exit);
      }
      return exit;
    } catch (IOException e) {
      throw new ExternalDiffFailed("$" + ENV + " program " + command.get(0) + " could not be run (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalDiffFailed("$" + ENV + " program " + command.get(0) + " was interrupted");
    } finally {
      out.flush();
      if (dir != null) {
        delete(dir);
      }
    }
  }

  /** A side's file, when the object exists on that side. */
  private static void write(Path side, String cluster, String file, String yaml) throws IOException {
    if (!yaml.isEmpty()) {
      Path folder = Files.createDirectories(side.resolve(fileName(cluster)));
      Files.writeString(folder.resolve(file), yaml);
    }
  }

  /** Names come from the config repo and the plans; none may climb out of its folder or hide. */
  private static String fileName(String name) {
    String safe = UNSAFE_IN_FILE_NAME.matcher(name).replaceAll("_");
    return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind holds masked YAML only
    }
  }

  /** The program could not run or failed: a diff error, exit 2. */
  static final class ExternalDiffFailed extends Exception {
    private static final long serialVersionUID = 1L;

    ExternalDiffFailed(String message) {
      super(message);
    }
  }
}
