package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the built {@code velero} CLI against a member, with a private HOME and TMPDIR. */
final class VeleroCli {
  private VeleroCli() {}

  /**
   * {@code velero install --crds-only --apply}: server-side applies Velero's 13 CRDs and waits
   * until they are Established. Throws with the command's output if it fails.
   */
  static void installCrds(Kit kit, Member member, Path workDir, Path logFile) {
    run(kit, member, workDir, logFile, Duration.ofMinutes(3), "install", "--crds-only", "--apply");
  }

  static void run(Kit kit, Member member, Path workDir, Path logFile, Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(kit.binaries().velero().toString());
    cmd.addAll(List.of(args));
    Path home = mkdirs(workDir.resolve("home"));
    Path tmp = mkdirs(workDir.resolve("tmp"));
    ManagedProcess p =
        ManagedProcess.start(
            member.name() + "/velero " + String.join(" ", args),
            cmd,
            Map.of("KUBECONFIG", member.kubeconfig().toString(), "HOME", home.toString(), "TMPDIR", tmp.toString()),
            workDir,
            logFile,
            kit.registry());
    if (!p.waitFor(timeout)) {
      p.kill();
      throw new IllegalStateException(
          member.name() + ": velero " + String.join(" ", args) + " timed out after " + timeout
              + "\n--- " + logFile + " ---\n" + p.logTail(4000));
    }
    int code = p.exitCode().orElse(-1);
    if (code != 0) {
      throw new IllegalStateException(
          member.name() + ": velero " + String.join(" ", args) + " exited " + code
              + "\n--- " + logFile + " ---\n" + p.logTail(4000));
    }
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
