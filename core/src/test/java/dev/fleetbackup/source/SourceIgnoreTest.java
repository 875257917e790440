package dev.fleetbackup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code .sourceignore} files and {@code --ignore}, as Flux's source-controller reads them, the same
 * from a checked-out folder ({@code validate}, {@code diff}) and from a commit ({@code run}).
 */
class SourceIgnoreTest {
  @TempDir
  Path dir;

  enum Reader {
    FOLDER, COMMIT;

    PolicySnapshot read(Path repo, String subPath, IgnorePatterns ignore) {
      try {
        if (this == FOLDER) {
          return new DirectoryReader(repo, ignore).read("test", subPath);
        }
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
          git.add().addFilepattern(".").call();
          git.commit().setMessage("policies").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
              .setSign(false).call();
        }
        return LocalCommit.read(repo, "HEAD", subPath, ignore);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GitAPIException | SourceException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static List<String> paths(PolicySnapshot snapshot) {
    return snapshot.files().stream().map(PolicyFile::path).toList();
  }

  private void someFiles() throws IOException {
    for (String path : List.of("fleet.yaml", "backups/nightly.yaml", "backups/draft-weekly.yaml",
        "apps/shop/deployment.yaml", "apps/shop/backup.yaml", "docs/example.yaml")) {
      write(path, "kind: Backup\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void rootFileLeavesOutFoldersAndFilesWithGitignoreRules(Reader reader) throws IOException {
    someFiles();
    write(".sourceignore", "# not policies\ndocs/\n**/draft-*.yaml\n/apps/*\n!/apps/shop/\n/apps/shop/deployment.yaml\n");

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(paths(snapshot)).containsExactly("apps/shop/backup.yaml", "backups/nightly.yaml", "fleet.yaml");
    assertThat(snapshot.refused()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void folderFileHoldsForItsFolderOnlyAndOutranksTheRoot(Reader reader) throws IOException {
    someFiles();
    write(".sourceignore", "backup.yaml\n");
    write("apps/shop/.sourceignore", "!backup.yaml\ndeployment.yaml\n");
    write("backups/.sourceignore", "/apps/\n");

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    // backups/.sourceignore's /apps/ is backups/apps/: nothing there
    assertThat(paths(snapshot)).containsExactly("apps/shop/backup.yaml", "backups/draft-weekly.yaml",
        "backups/nightly.yaml", "docs/example.yaml", "fleet.yaml");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void flagsOutrankTheRepoAndTheRootFileHoldsForASubfolder(Reader reader) throws IOException {
    someFiles();
    write(".sourceignore", "draft-*.yaml\n");

    PolicySnapshot snapshot = reader.read(dir, "backups", new IgnorePatterns(List.of("nightly.yaml", "!draft-weekly.yaml")));

    assertThat(paths(snapshot)).containsExactly("backups/draft-weekly.yaml");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void badRuleRefusesTheFileAtItsLine(Reader reader) throws IOException {
    someFiles();
    write("apps/.sourceignore", "# two stars in a name cost too much to match\nshop/\n*a*b.yaml\n");

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(snapshot.refused()).map(Diagnostic::toString).containsExactly(
        "apps/.sourceignore:3:1: error: \"*a*b.yaml\" has more than one '*' between two '/', which costs too much to match; "
            + "the file is refused");
    // a refused file makes the commit invalid; what it would have left out is still read
    assertThat(paths(snapshot)).contains("apps/shop/backup.yaml");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void oversizedFileIsRefusedUnread(Reader reader) throws IOException {
    someFiles();
    write(".sourceignore", "#".repeat(Ignores.MAX_FILE_BYTES + 1));

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(snapshot.refused()).map(Diagnostic::toString).containsExactly(
        ".sourceignore:1:1: error: file is 65537 bytes, over the limit of 65536 for an ignore file; the file is refused");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void symlinkedFileIsRefused(Reader reader) throws IOException {
    someFiles();
    write("ignore-rules", "backups/\n");
    Files.createSymbolicLink(dir.resolve(".sourceignore"), Path.of("ignore-rules"));

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(snapshot.refused()).map(Diagnostic::toString).containsExactly(
        ".sourceignore:1:1: error: an ignore file must be a regular file, not a symlink or folder; refused");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void rulesAreCountedOverEveryFile(Reader reader) throws IOException {
    someFiles();
    write(".sourceignore", "x\n".repeat(Ignores.MAX_RULES));
    write("backups/.sourceignore", "one-too-many\n");

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(snapshot.refused()).map(Diagnostic::toString).containsExactly(
        "backups/.sourceignore:1:1: error: more than 256 ignore rules in all; the file is refused");
  }

  @ParameterizedTest
  @EnumSource(Reader.class)
  void matchingIsBoundedAndPastTheBoundTheCommitIsRefused(Reader reader) throws IOException {
    String deep = "a-rather-long-folder-name/".repeat(8);
    for (int i = 0; i < 400; i++) {
      write(deep + "backup-" + i + ".yaml", "kind: Backup\n");
    }
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      rules.append("never-").append(i).append(".yaml\n");
    }
    write(".sourceignore", rules.toString());

    PolicySnapshot snapshot = reader.read(dir, "", IgnorePatterns.NONE);

    assertThat(snapshot.refused()).map(Diagnostic::toString).singleElement().asString().startsWith(
        ".sourceignore:1:1: error: its rules, matched against the commit's paths, come to more than 20000000 characters of "
            + "matching, the limit for a commit (at \"a-rather-long-folder-name/");
  }

  @org.junit.jupiter.api.Test
  void badFlagIsRefusedNamingIt() {
    assertThatThrownBy(() -> new IgnorePatterns(List.of("ok/", "[")))
        .hasMessage("--ignore: \"[\" is not a valid pattern");
    assertThatThrownBy(() -> new IgnorePatterns(List.of("**/a/**")))
        .hasMessage("--ignore: \"**/a/**\" has more than one '**', which costs too much to match");
    assertThatThrownBy(() -> new IgnorePatterns(List.of("x".repeat(300))))
        .hasMessage("--ignore: a rule of 300 characters, over the limit of 256");
  }
}
