package dev.fleetbackup.sandbox;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.pipeline.Concurrency;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.IntervalTrigger;
import dev.fleetbackup.pipeline.StatusBranchPublisher;
import dev.fleetbackup.pipeline.Timeouts;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.report.TerminalView;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.S3Server;
import dev.fleetbackup.testkit.TestFleet;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.Validator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fleet-backup sandbox}: the whole product on this machine. Starts N real member clusters
 * with Velero and an S3 server (the test kit), puts a demo application in the first, seeds a
 * local config repo from sample-repo/, and runs the reconciler on it, showing each pass.
 */
public final class Sandbox {
  static final String STATUS_BRANCH = "fleet-backup/status";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /**
   * @param dir keeps the config repo and its status branch between runs (the clusters are new each
   *     time, in a temp folder)
   * @param once run the scripted demo to its end and return, instead of watching until Ctrl-C
   */
  public record Settings(int members, Path dir, Path sample, Duration interval, boolean once, Duration deadline) {
    public Settings {
      if (members < 3) {
        throw new IllegalArgumentException("the demo migrates from kurator-member1 to kurator-member2 and 3: it needs at least 3 members");
      }
    }
  }

  private final Settings settings;
  private final Validator validator;
  private final FleetPass.Factory passes;
  private final PrintWriter out;
  private final Clock clock;

  public Sandbox(Settings settings, Validator validator, FleetPass.Factory passes, PrintWriter out, Clock clock) {
    this.settings = settings;
    this.validator = validator;
    this.passes = passes;
    this.out = out;
    this.clock = clock;
  }

  /** @return true when the scripted demo finished with every workflow Completed */
  public boolean run() throws Exception {
    Instant started = clock.instant();
    Files.createDirectories(settings.dir());
    say("starting " + settings.members() + " member clusters (etcd + kube-apiserver each), an S3 server and Velero on each member …");
    // The clusters are new each run, so they live in a temp folder rather than in --dir.
    Path fleetDir = Files.createTempDirectory("fleet-backup-sandbox-");
    try (TestFleet fleet = TestFleet.start(fleetDir, TestFleet.Options.members(settings.members()).withVeleroNode())) {
      say("fleet up in " + seconds(fleet.startupTime()) + ": " + String.join(", ", fleet.members().stream().map(Member::name).toList()));
      Member source = fleet.member(1);
      DemoApp.create(source.client());
      say("demo application: namespace shop (Deployment, Service, ConfigMap, Secret; label app=shop) in " + source.name());
      SandboxRepo repo = SandboxRepo.seed(settings.dir(), settings.sample(), repoFleet(fleet), settings.members());
      say("config repo " + repo.url() + " seeded from " + settings.sample());

      try (GitSource git = GitSource.open(new GitRemote(repo.url(), GitCredentials.NONE, Duration.ofSeconds(30)), SandboxRepo.BRANCH, "",
          settings.dir().resolve("work"))) {
        StatusBranchPublisher branch = new StatusBranchPublisher(
            git.statusBranch(STATUS_BRANCH, "fleet-backup sandbox", "sandbox@localhost"), STATUS_BRANCH,
            Optional.of(settings.interval()), Optional.empty());
        LiveView view = new LiveView();
        GitOpsLoop loop = new GitOpsLoop(git, validator,
            passes.create(new LocalSecretsDir(repo.secrets()), ApplyOptions.DEFAULTS, Guardrails.DEFAULTS, Fence.NONE,
                Optional.empty(), Concurrency.DEFAULT, Timeouts.UNSET),
            report -> view.show(report) + "; " + branch.publish(report), clock);
        IntervalTrigger trigger = new IntervalTrigger(settings.interval(), Optional.of(settings.dir().resolve("trigger")));
        List<Member> targets = fleet.members().subList(1, 3);
        Instant deadline = started.plus(settings.deadline());
        boolean announced = false;
        while (true) {
          StatusReport report = loop.iterate().report();
          boolean appInTargets = targets.stream().allMatch(m -> DemoApp.isPresent(m.client()));
          Demo.Verdict verdict = Demo.judge(report, appInTargets);
          if (verdict instanceof Demo.Failed failed) {
            say("demo failed: " + failed.why());
            if (settings.once()) {
              return false;
            }
          } else if (verdict instanceof Demo.Done && !announced) {
            announced = true;
            say("demo complete in " + seconds(Duration.between(started, clock.instant()))
                + ": Velero ready on every member, backups, restore and migration Completed, shop is in "
                + String.join(" and ", targets.stream().map(Member::name).toList()));
            explain(repo);
            if (settings.once()) {
              return true;
            }
          } else if (verdict instanceof Demo.Going going && settings.once() && clock.instant().isAfter(deadline)) {
            say("demo did not finish within " + seconds(settings.deadline()) + "; still waiting for " + going.waitingFor());
            return false;
          }
          trigger.awaitNext();
        }
      }
    }
  }

  private void explain(SandboxRepo repo) {
    out.println();
    new Tutorial(repo, settings.dir().resolve("trigger"), STATUS_BRANCH).lines().forEach(out::println);
    out.println();
    out.flush();
  }

  /** What the config repo and its Secrets need of the fleet: each member's kubeconfig and the S3 server. */
  private static SandboxRepo.Fleet repoFleet(TestFleet fleet) {
    Map<String, Path> kubeconfigs = new LinkedHashMap<>();
    fleet.members().forEach(m -> kubeconfigs.put(m.name(), m.kubeconfig()));
    S3Server s3 = fleet.s3();
    return new SandboxRepo.Fleet(kubeconfigs,
        new SandboxRepo.Storage(s3.endpoint().toString(), s3.bucket(), s3.region(), s3.accessKey(), s3.secretKey()));
  }

  private void say(String line) {
    out.println(LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(CLOCK) + " " + line);
    out.flush();
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  /** Prints the fleet's view each time it changes; returns a one-line pass summary for the log. */
  private final class LiveView {
    private String last = "";

    String show(StatusReport report) {
      String view = new TerminalView().render(report.withoutTiming());
      if (!view.equals(last)) {
        last = view;
        out.println();
        out.print(new TerminalView().render(report));
        out.println();
      }
      long changes = report.clusters().stream().mapToLong(c -> c.lastApply().changes()).sum();
      return "pass took " + seconds(report.took()) + ", " + changes + " change" + (changes == 1 ? "" : "s");
    }
  }
}
