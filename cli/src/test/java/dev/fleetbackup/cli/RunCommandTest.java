package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.controller.Controller;
import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code run} as its users meet it: its help, the defaults in force when a flag is left out, the
 * Deployment's arguments, and the checks of the leader-election timings. Values are read through
 * picocli's model of the command, as the command itself gets them, never from the fields.
 */
class RunCommandTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  /** The duration flags of run, with the default the README documents for each. */
  private static final Map<String, Duration> DURATION_DEFAULTS = Map.of(
      "--interval", Duration.ofMinutes(1),
      "--git-timeout", Duration.ofMinutes(1),
      "--leader-election-lease-duration", Duration.ofSeconds(35),
      "--leader-election-renew-deadline", Duration.ofSeconds(30),
      "--leader-election-retry-period", Duration.ofSeconds(5));

  @Test
  void helpShowsEveryDurationDefaultAsUsersWriteIt() {
    int exit = cli.run("run", "--help");

    assertThat(exit).as(cli.err.toString()).isZero();
    String help = cli.out.toString().replaceAll("\\s+", " ");
    assertThat(help).startsWith("Usage: fleet-backup run ")
        .contains("--interval=DURATION Time between passes, e.g. 1m or 30s, at least 5s; a pass runs each interval even"
            + " without a new commit (default: 1m).")
        .contains("While the repo cannot be fetched, the wait doubles after each failed fetch, up to 5m or the interval if"
            + " longer; the next good fetch resets it.")
        .contains("--git-timeout=DURATION Timeout of one fetch or push (default: 1m).")
        .contains("renewal before taking the Lease (default: 35s).")
        .contains("shorter than the lease duration (default: 30s).")
        .contains("Time between attempts to take or renew the Lease (default: 5s).");
    assertThat(help).as("no ISO-8601 durations such as PT1M").doesNotContainPattern("\\bPT\\d");
  }

  @Test
  void theDefaultThatHelpShowsIsTheValueInForce() {
    String help = helpOf("run").replaceAll("\\s+", " ");
    CommandSpec run = parse("run", "--repo", "https://example.com/fleet.git").subcommand().commandSpec();

    DURATION_DEFAULTS.forEach((flag, documented) -> {
      Matcher shown = Pattern.compile(Pattern.quote(flag) + "=DURATION [^()]*\\(default: ([^)]+)\\)").matcher(help);
      assertThat(shown.find()).as("%s shows its default in: %s", flag, help).isTrue();
      assertThat(Main.duration(shown.group(1))).as("%s: the default help shows, typed as a user would", flag)
          .isEqualTo(documented);
      assertThat(run.findOption(flag).<Duration>getValue()).as("%s without the flag", flag).isEqualTo(documented);
    });
  }

  @Test
  void durationsAreReadAsGoAndFluxWriteThem() {
    CommandSpec run = parse("run", "--repo", "https://example.com/fleet.git", "--interval", "1h30m",
        "--leader-election-lease-duration", "1m", "--leader-election-renew-deadline", "45s",
        "--leader-election-retry-period", "2500ms").subcommand().commandSpec();

    assertThat(run.findOption("--interval").<Duration>getValue()).isEqualTo(Duration.ofMinutes(90));
    assertThat(run.findOption("--leader-election-lease-duration").<Duration>getValue()).isEqualTo(Duration.ofMinutes(1));
    assertThat(run.findOption("--leader-election-renew-deadline").<Duration>getValue()).isEqualTo(Duration.ofSeconds(45));
    assertThat(run.findOption("--leader-election-retry-period").<Duration>getValue()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void aDurationWithoutAUnitIsAUsageErrorThatSaysWhatAUnitLooksLike() {
    int exit = cli.run("run", "--repo", dir.toString(), "--interval", "5");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("Invalid value for option '--interval': '5' is not a duration such as 30s, 5m or 1h");
    assertThat(cli.out.toString()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"0s, 0s", "4s, 4s", "4999ms, 4s999ms"})
  void anIntervalBelowFiveSecondsIsAUsageErrorBeforeAnythingIsContacted(String interval, String shown) {
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--interval", interval);

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--interval " + shown + ": at least 5s between passes" + System.lineSeparator());
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  @Test
  void oncePassUnderAnElectionIsAUsageErrorNotAPassThatWritesNothing() {
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--once", "--enable-leader-election", "--leader-election-namespace", "ops");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--once runs one pass now, without an election: drop --enable-leader-election");
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--once | --shards shares the members among replicas, each with a Lease of its own: drop --once",
      "--enable-leader-election | --shards shares the members among replicas, each with a Lease of its own: drop"
          + " --enable-leader-election (no leader is needed)"})
  void shardsWithOnceOrALeaderIsAUsageErrorBeforeAnythingIsContacted(String flag, String message) {
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--shards", flag, "--leader-election-namespace", "ops");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith(message + System.lineSeparator());
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  @Test
  void shardsKeepAReplicaLeaseWithTheLeaseFlagsTimings() throws IOException {
    CommandLine commandLine = commandLine();
    commandLine.parseArgs("run", "--repo", "https://example.com/fleet.git", "--secrets-dir", dir.toString(), "--shards",
        "--leader-election-namespace", "fleet-backup-system", "--leader-election-lease-duration", "6s",
        "--leader-election-renew-deadline", "4s", "--leader-election-retry-period", "1s");
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();

    Controller.Election election = run.settings().election().orElseThrow();
    assertThat(election.split()).isEqualTo(Controller.Split.SHARDS);
    assertThat(election.namespace()).isEqualTo("fleet-backup-system");
    assertThat(election.timings()).isEqualTo(new dev.fleetbackup.ops.Leadership.Timings(Duration.ofSeconds(6),
        Duration.ofSeconds(4), Duration.ofSeconds(1)));
  }

  @Test
  void theStatusPageLinksToTheForgeTheRemoteNamesOrToTheTemplateGiven() throws IOException {
    String sha = "4f2c9e1b7d3a5c8e9f0a1b2c3d4e5f6a7b8c9d0e";
    CommandLine derived = commandLine();
    derived.parseArgs("run", "--repo", "git@github.com:platform/policies.git", "--secrets-dir", dir.toString());
    CommandLine given = commandLine();
    given.parseArgs("run", "--repo", "https://git.example/ops/policies.git", "--secrets-dir", dir.toString(),
        "--forge-url-template", "https://git.example/{repo}/src/commit/{commit}/{path}#L{line}");

    assertThat(((RunCommand) derived.getSubcommands().get("run").getCommand()).settings().status().forge()
        .flatMap(f -> f.blob(sha, "a.yaml", 3))).contains("https://github.com/platform/policies/blob/" + sha + "/a.yaml#L3");
    assertThat(((RunCommand) given.getSubcommands().get("run").getCommand()).settings().status().forge()
        .flatMap(f -> f.blob(sha, "a.yaml", 3))).contains("https://git.example/ops/policies/src/commit/" + sha + "/a.yaml#L3");
  }

  @Test
  void aForgeTemplateThatCouldBreakOutOfItsLinkIsAUsageErrorBeforeAnythingIsContacted() {
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--forge-url-template", "https://x/{commit}/{path})<script>");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--forge-url-template: \"https://x/{commit}/{path})<script>\" is no http(s) URL");
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  @Test
  void fiveSecondsIsEnough() throws IOException {
    CommandLine commandLine = commandLine();
    commandLine.parseArgs("run", "--repo", "https://example.com/fleet.git", "--secrets-dir", dir.toString(), "--interval", "5s");
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();

    assertThat(run.settings().schedule()).isEqualTo(new dev.fleetbackup.controller.Controller.Every(Duration.ofSeconds(5),
        java.util.Optional.empty()));
  }

  /** The shards overlay swaps --enable-leader-election for --shards by its position in the base's arguments. */
  @Test
  void theShardsOverlayReplacesTheLeaderElectionFlagWhereTheBaseHasIt() throws IOException {
    String overlay = Files.readString(Path.of("deploy/overlays/shards/kustomization.yaml"));
    int at = DeployFiles.containerArgs().indexOf("--enable-leader-election");
    assertThat(overlay).contains("path: /spec/template/spec/containers/0/args/" + at + "\n        value: --enable-leader-election")
        .contains("path: /spec/template/spec/containers/0/args/" + at + "\n        value: --shards");
    assertThat(parse("run", "--repo", "https://example.com/fleet.git", "--in-cluster", "--shards").subcommand()
        .commandSpec().findOption("--shards").<Boolean>getValue()).isTrue();
  }

  /**
   * The arguments of {@code deploy/base/deployment.yaml}, with each {@code $(VAR)} replaced by the
   * settings the sample overlay gives it (as Kubernetes does from the ConfigMap), parse as run's
   * flags, and mean what the comments in {@code deploy/} say.
   */
  @Test
  void theDeploymentsArgumentsParseAndMeanWhatDeploySays() throws IOException {
    Map<String, String> settings = DeployFiles.settings(DeployFiles.BASE);
    settings.putAll(DeployFiles.settings(DeployFiles.SAMPLE_OVERLAY));
    assertThat(settings).containsKey("FLEET_BACKUP_REPO_URL");
    List<String> args = new ArrayList<>();
    for (String arg : DeployFiles.containerArgs()) {
      Matcher var = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(arg);
      StringBuilder resolved = new StringBuilder();
      while (var.find()) {
        assertThat(settings).as("the settings define %s", var.group(1)).containsKey(var.group(1));
        var.appendReplacement(resolved, Matcher.quoteReplacement(settings.get(var.group(1))));
      }
      var.appendTail(resolved);
      args.add(resolved.toString());
    }

    CommandLine.ParseResult parsed = parse(args.toArray(String[]::new));

    CommandSpec run = parsed.subcommand().commandSpec();
    assertThat(run.name()).isEqualTo("run");
    assertThat(parsed.subcommand().matchedOptions()).as("every argument is a flag of run").hasSize(args.size() - 1);
    assertThat(run.findOption("--in-cluster").<Boolean>getValue()).isTrue();
    assertThat(run.findOption("--repo").<String>getValue()).isEqualTo("https://git.example.com/platform/backup-policies.git");
    assertThat(run.findOption("--branch").<String>getValue()).isEqualTo("main");
    assertThat(run.findOption("--path").<String>getValue()).as("all of the repo").isEmpty();
    assertThat(run.findOption("--interval").<Duration>getValue()).as("the overlay's").isEqualTo(Duration.ofMinutes(2));
    assertThat(run.findOption("--status-branch").<String>getValue()).isEqualTo("fleet-backup/status");
    assertThat(run.findOption("--enable-leader-election").<Boolean>getValue()).isTrue();
    assertThat(run.findOption("--ops-addr").<String>getValue()).isEqualTo(":8080");
    assertThat(run.findOption("--log-format").<Object>getValue()).hasToString("json");
    assertThat(String.valueOf(run.findOption("--refused-target-namespaces").<Object>getValue()))
        .isEqualTo("[kube-system, kube-public, kube-node-lease, velero]");
    // the Deployment leaves the timings to their defaults, the ones the Deployment's comment quotes
    assertThat(run.findOption("--leader-election-lease-duration").<Duration>getValue()).isEqualTo(Duration.ofSeconds(35));
    assertThat(Files.readString(DeployFiles.DEPLOYMENT)).contains("takes over within the lease duration (35 s)");
  }

  @ParameterizedTest(name = "lease {0}, renew {1}, retry {2}")
  @CsvSource(delimiter = '|', value = {
      "10s | 15s | 5s  | leader election: lease duration (10s) must be longer than the renew deadline (15s)",
      "30s | 30s | 5s  | leader election: lease duration (30s) must be longer than the renew deadline (30s)",
      "35s | 6s  | 5s  | leader election: renew deadline (6s) must be longer than 1.2 × the retry period (5s)",
      "35s | 30s | 0s  | leader election: retry period must be positive, got 0s",
      "10s | 1m30s | 5s | leader election: lease duration (10s) must be longer than the renew deadline (1m30s)"})
  void leaseTimingsThatCouldGiveTwoLeadersAreAUsageErrorBeforeAnythingIsContacted(String lease, String renew, String retry,
      String message) {
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--enable-leader-election", "--leader-election-namespace", "ns",
        "--leader-election-lease-duration", lease, "--leader-election-renew-deadline", renew,
        "--leader-election-retry-period", retry);

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith(message + System.lineSeparator())
        .doesNotContain("Exception");
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  @Test
  void theWebhookSecretComesFromItsFileOrTheEnvironmentNeverFromAFlagsValue() throws IOException {
    Path secret = Files.writeString(dir.resolve("webhook-secret"), "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c\n");
    CommandLine commandLine = commandLine();
    commandLine.parseArgs("run", "--repo", "https://example.com/fleet.git", "--secrets-dir", dir.toString(), "--ops-addr", ":8080",
        "--webhook-secret-file", secret.toString());
    RunCommand run = commandLine.getSubcommands().get("run").getCommand();
    assertThat(((Controller.Every) run.settings().schedule()).webhook()).hasValueSatisfying(s ->
        assertThat(s.toString()).isEqualTo("WebhookSecret[32 bytes]"));

    CommandLine fromEnvironment = commandLine();
    fromEnvironment.parseArgs("run", "--repo", "https://example.com/fleet.git", "--secrets-dir", dir.toString(), "--ops-addr", ":8080");
    RunCommand viaEnvironment = fromEnvironment.getSubcommands().get("run").getCommand();
    viaEnvironment.environment = Map.of("FLEET_BACKUP_WEBHOOK_SECRET", "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c");
    assertThat(((Controller.Every) viaEnvironment.settings().schedule()).webhook()).isPresent();
    viaEnvironment.environment = Map.of();
    assertThat(((Controller.Every) viaEnvironment.settings().schedule()).webhook()).as("none: no webhook").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "short          | --ops-addr=:8080 | : the webhook secret has 5 bytes, fewer than 16; make one with: openssl rand -hex 32",
      "no ops port    | --interval=1m    | : the webhook is served on the ops port; add --ops-addr",
      "once           | --once           | : --once runs one pass and serves no webhook",
      "missing        | --ops-addr=:8080 | : cannot be read (NoSuchFileException)"})
  void aWebhookThatCannotWorkIsAUsageErrorThatShowsNoSecret(String what, String flag, String message) throws IOException {
    Path secret = dir.resolve("webhook-secret");
    if (!what.equals("missing")) {
      Files.writeString(secret, what.equals("short") ? "hunt2" : "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c");
    }
    int exit = cli.run("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--webhook-secret-file", secret.toString(), flag);

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--webhook-secret-file " + secret + message + System.lineSeparator())
        .doesNotContain("hunt2", "6f1e0c9a");
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  // --- helpers -------------------------------------------------------------------------------

  private static CommandLine.ParseResult parse(String... args) {
    return commandLine().parseArgs(args);
  }

  private static String helpOf(String command) {
    return commandLine().getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandLine commandLine() {
    return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Main.components());
  }
}
