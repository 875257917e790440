package dev.fleetbackup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.fleetbackup.testkit.ConfigRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clone's folder is the user's alone, and nothing planted in it ever runs. */
class WorkFolderTest {
  /** Every hook a Git client may run around a commit, a push or a ref update. */
  private static final List<String> HOOKS = List.of("pre-push", "pre-commit", "prepare-commit-msg", "commit-msg",
      "post-commit", "reference-transaction", "post-update");

  @TempDir
  Path dir;

  private GitSource open(ConfigRemote remote, Path workDir) throws SourceException {
    return GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "", workDir);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aFreshWorkDirAndTheFoldersCreatedAboveItAreTheUsersAlone() throws Exception {
    Path workDir = dir.resolve("cache/fleet-backup/git/run-1a2b3c");
    try (ConfigRemote remote = ConfigRemote.create(dir); GitSource source = open(remote, workDir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      source.fetch();
    }

    for (Path folder : List.of(dir.resolve("cache"), dir.resolve("cache/fleet-backup"), dir.resolve("cache/fleet-backup/git"),
        workDir)) {
      assertThat(mode(folder)).as("mode of %s", folder).isEqualTo("rwx------");
    }
  }

  @Test
  void aWorkDirOthersCanWriteToIsRefusedBeforeAnythingIsReadFromIt() throws Exception {
    Path workDir = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(workDir.resolve("config"), "[core]\n\thooksPath = /tmp/evil\n");

    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      assertThatThrownBy(() -> open(remote, workDir)).isInstanceOf(SourceException.class)
          .hasMessage("refusing work dir " + workDir + ": it can be written by others (mode rwxrwxrwx);"
              + " a work dir must be this user's alone (fleet-backup creates one with mode 700)");
    }
    try (Stream<Path> files = Files.list(workDir)) {
      assertThat(files).containsExactly(workDir.resolve("config"));
    }
    assertThat(Files.readString(workDir.resolve("config"))).contains("/tmp/evil");
  }

  @Test
  void aWorkDirOfAnotherUserIsRefused() throws Exception {
    assumeTrue(new UnixSystem().getUid() == 0, "only root can give a folder to another user");
    Path workDir = Files.createDirectory(dir.resolve("theirs"));
    Files.setAttribute(workDir, "unix:uid", 65534);
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));

    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      assertThatThrownBy(() -> open(remote, workDir)).isInstanceOf(SourceException.class)
          .hasMessageStartingWith("refusing work dir " + workDir + ": it belongs to uid 65534, not to uid 0 that runs fleet-backup;");
    }
  }

  @Test
  void aWorkDirThatIsASymbolicLinkIsRefused() throws Exception {
    Path target = Files.createDirectory(dir.resolve("target"));
    Path workDir = Files.createSymbolicLink(dir.resolve("link"), target);

    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      assertThatThrownBy(() -> open(remote, workDir)).isInstanceOf(SourceException.class)
          .hasMessageStartingWith("refusing work dir " + workDir + ": it is a symbolic link;");
    }
  }

  @Test
  void noHookOrProgramPlantedInTheCloneRunsWhenStatusIsPushed() throws Exception {
    Path workDir = dir.resolve("clone");
    Path markers = Files.createDirectory(dir.resolve("markers"));
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      open(remote, workDir).close();

      // what an attacker with write access to the clone would leave for the next run
      Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
      for (String hook : HOOKS) {
        plant(workDir.resolve("hooks").resolve(hook), markers.resolve(hook));
        plant(elsewhere.resolve(hook), markers.resolve("hooksPath-" + hook));
      }
      try (Git git = Git.open(workDir.toFile())) {
        StoredConfig config = git.getRepository().getConfig();
        config.setString("core", null, "hooksPath", elsewhere.toString());
        config.setString("remote", "origin", "uploadpack", "touch " + markers.resolve("uploadpack") + "; git-upload-pack");
        config.setString("remote", "origin", "receivepack", "touch " + markers.resolve("receivepack") + "; git-receive-pack");
        config.save();
      }

      try (GitSource source = open(remote, workDir)) {
        source.fetch();
        StatusBranch.Outcome outcome = source.statusBranch("fleet-backup/status", "fleet-backup", "bot@example.com")
            .write(Map.of("status.json", "{}".getBytes()), "status", "digest-1");
        assertThat(outcome).isInstanceOf(StatusBranch.Committed.class);
      }
      try (Stream<Path> ran = Files.list(markers)) {
        assertThat(ran).as("hooks and programs that ran").isEmpty();
      }
      assertThat(remote.filesOf("fleet-backup/status")).containsOnlyKeys("status.json");

      // the same clone opened the way JGit does by default runs the planted pre-push hook: the test can fail
      try (Git git = Git.open(workDir.toFile())) {
        git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/remotes/origin/main:refs/heads/copy")).call();
      }
      assertThat(markers.resolve("pre-push")).exists();
    }
  }

  @Test
  void aProgramWrittenIntoTheConfigWhileTheCloneIsOpenDoesNotRunEither() throws Exception {
    Path marker = dir.resolve("uploadpack-ran");
    try (ConfigRemote remote = ConfigRemote.create(dir); GitSource source = open(remote, dir.resolve("clone"))) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (Git git = Git.open(dir.resolve("clone").toFile())) {
        StoredConfig config = git.getRepository().getConfig();
        config.setString("remote", "origin", "uploadpack", "touch " + marker + "; git-upload-pack");
        config.save();
      }

      assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
          .hasMessageContaining("fleet-backup runs no program for Git: touch " + marker);
    }
    assertThat(marker).doesNotExist();
  }

  private static void plant(Path hook, Path marker) throws IOException {
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\ntouch '" + marker + "'\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
