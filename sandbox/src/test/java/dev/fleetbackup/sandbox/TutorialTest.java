package dev.fleetbackup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.cli.Main;
import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.IntervalTrigger;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's path, as the sandbox prints it once the demo is done: edit a policy in the clone,
 * run the printed {@code git commit -am … && git push} with the real {@code git}, and the
 * reconciler, following {@code main} of the sandbox's remote as the sandbox's does, takes the new
 * commit and hands the edited policy to its next pass; the printed {@code touch} starts that pass.
 * Only the member clusters are left out (the pass is a stand-in that records what it was given).
 */
class TutorialTest {
  @TempDir
  Path dir;

  private SandboxRepo repo;
  private Tutorial tutorial;

  @BeforeEach
  void seed() throws Exception {
    repo = SandboxRepo.seed(dir.resolve("sandbox"), Path.of("sample-repo"), fleet(), 3);
    tutorial = new Tutorial(repo, dir.resolve("sandbox/trigger"), Sandbox.STATUS_BRANCH);
  }

  /** Three members whose kubeconfigs no pass reads here, and the S3 server's settings. */
  private SandboxRepo.Fleet fleet() throws IOException {
    Map<String, Path> kubeconfigs = new LinkedHashMap<>();
    for (String member : List.of("kurator-member1", "kurator-member2", "kurator-member3")) {
      kubeconfigs.put(member, Files.writeString(dir.resolve(member + ".kubeconfig"), "apiVersion: v1\nkind: Config\n"));
    }
    return new SandboxRepo.Fleet(kubeconfigs,
        new SandboxRepo.Storage("http://127.0.0.1:9000", "fleet-backup", "us-east-1", "key", "secret"));
  }

  @Test
  void theCloneIsOnMainTrackingTheRemote() throws Exception {
    assertThat(shell("git -C " + Tutorial.shell(repo.work()) + " rev-parse --abbrev-ref HEAD").trim()).isEqualTo("main");
    assertThat(shell("git -C " + Tutorial.shell(repo.work()) + " rev-parse --abbrev-ref --symbolic-full-name @{upstream}").trim())
        .isEqualTo("origin/main");
    assertThat(shell("git -C " + Tutorial.shell(repo.work()) + " status --porcelain --branch").trim())
        .isEqualTo("## main...origin/main");
  }

  @Test
  void aCloneAnEarlierSandboxLeftOnMasterIsMovedOntoMain() throws Exception {
    Path old = dir.resolve("old");
    Files.createDirectories(old);
    shell("cd " + Tutorial.shell(old) + " && git init -q --bare -b main config.git && git init -q -b master config"
        + " && cp -r " + Tutorial.shell(Path.of("sample-repo").toAbsolutePath()) + "/. config/ && cd config"
        + " && git remote add origin ../config.git && git add . && git commit -qm seed && git push -q origin HEAD:main");

    SandboxRepo reused = SandboxRepo.seed(old, Path.of("sample-repo"), fleet(), 3);

    String git = "git -C " + Tutorial.shell(reused.work());
    assertThat(shell(git + " rev-parse --abbrev-ref --symbolic-full-name @{upstream}").trim()).isEqualTo("origin/main");
    Files.writeString(reused.work().resolve("backups/select-labels.yaml"), "# edited\n", java.nio.file.StandardOpenOption.APPEND);
    shell(new Tutorial(reused, old.resolve("trigger"), Sandbox.STATUS_BRANCH).commitAndPush());
    assertThat(shell("git --git-dir=" + Tutorial.shell(reused.bare()) + " log -1 --format=%s main").trim()).isEqualTo("shorter ttl");
  }

  @Test
  void thePrintedEditCommitAndPushReachTheReconcilersNextPass() throws Exception {
    List<PolicySet> passes = new ArrayList<>();
    try (GitSource source = GitSource.open(new GitRemote(repo.url(), GitCredentials.NONE, Duration.ofSeconds(30)),
        SandboxRepo.BRANCH, "", dir.resolve("reconciler"))) {
      GitOpsLoop loop = new GitOpsLoop(source, Main.components().validator(), policies -> {
        passes.add(policies);
        return PassOutcome.NONE;
      }, report -> "not published", Clock.systemUTC());
      loop.iterate();
      assertThat(ttl(passes.get(passes.size() - 1))).contains("720h");

      String printed = String.join("\n", tutorial.lines());
      assertThat(printed).contains("edit " + Tutorial.shell(tutorial.policy()) + " (say, ttl: 240h)")
          .contains(tutorial.commitAndPush()).contains(tutorial.trigger());
      Files.writeString(tutorial.policy(), Files.readString(tutorial.policy()).replace("ttl: 720h", "ttl: 240h"));
      shell(tutorial.commitAndPush());

      String pushed = shell("git -C " + Tutorial.shell(repo.work()) + " rev-parse HEAD").trim();
      assertThat(shell("git --git-dir=" + Tutorial.shell(repo.bare()) + " rev-parse refs/heads/main").trim()).isEqualTo(pushed);
      IntervalTrigger trigger = new IntervalTrigger(Duration.ofHours(1), Optional.of(dir.resolve("sandbox/trigger")));
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
        try {
          trigger.awaitNext();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      shell(tutorial.trigger());
      await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);

      loop.iterate();
      assertThat(loop.appliedRevision()).map(Revision::sha).contains(pushed);
      assertThat(ttl(passes.get(passes.size() - 1))).contains("240h");
    }
  }

  private static Optional<String> ttl(PolicySet policies) {
    return policies.backup("default", "select-labels").flatMap(b -> b.spec().policy()).flatMap(Backup.Policy::ttl);
  }

  /**
   * Runs {@code command} as a user's shell would, with the real {@code git}; a home of its own, so
   * the developer's Git config plays no part, and an identity, as a user's has one.
   */
  private String shell(String command) throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("home"));
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    builder.environment().put("HOME", home.toString());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_AUTHOR_NAME", "Newcomer");
    builder.environment().put("GIT_AUTHOR_EMAIL", "newcomer@example.com");
    builder.environment().put("GIT_COMMITTER_NAME", "Newcomer");
    builder.environment().put("GIT_COMMITTER_EMAIL", "newcomer@example.com");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(command + "\n" + output).isZero();
    return output;
  }
}
