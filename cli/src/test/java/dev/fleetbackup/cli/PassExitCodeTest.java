package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** diff, apply and run --once exit as the pass's outcome says, and print what it holds; the pass is a stand-in. */
class PassExitCodeTest {
  private static final ObjectRef SCHEDULE = new ObjectRef(ManagedKind.SCHEDULE, "velero", "kurator-member1-backup-default-nightly");
  private static final WorkflowStatus NIGHTLY = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Enabled",
      List.of(), List.of(), Optional.of("0 2 * * *"), List.of());

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Pipeline.Request> requests = new ArrayList<>();

  /** Validates for real; the pass returns {@code outcome}. */
  private PassCommand.Runner runner(PassOutcome outcome) {
    Validator validator = new Validator();
    return new PassCommand.Runner() {
      @Override
      public ValidationReport validate(PolicySnapshot snapshot) {
        return validator.validate(snapshot);
      }

      @Override
      public PassOutcome run(PolicySet policies, Pipeline.Request request) {
        requests.add(request);
        return outcome;
      }

      @Override
      public FleetPlan plan(PolicySet policies) {
        throw new AssertionError("no offline plan in these tests");
      }
    };
  }

  private int run(PassCommand command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("--repo", "sample-repo", "--kubeconfig-dir", dir.toString()));
    all.addAll(List.of(args));
    return commandLine.execute(all.toArray(String[]::new));
  }

  private int diff(PassOutcome outcome, String... args) {
    return run(new DiffCommand(guardrails -> runner(outcome)), args);
  }

  private int apply(PassOutcome outcome, String... args) {
    return run(new ApplyCommand(guardrails -> runner(outcome)), args);
  }

  private static PassOutcome outcome(List<WorkflowStatus> backups, MemberOutcome... members) {
    return new PassOutcome(Stream.of(members).map(m -> new PassOutcome.Member(m.cluster(), "default/quickstart", m,
        Optional.empty())).toList(), backups, List.of(), List.of());
  }

  private static MemberOutcome diffed(String cluster, Action action) {
    return new MemberOutcome.Diffed(cluster, new ChangeSet(cluster, List.of(new Change(SCHEDULE, action, "", "", Optional.empty())),
        List.of(), Inventory.EMPTY, List.of(), null), new RequestCount(5, 1, 0), Duration.ofMillis(300));
  }

  private static MemberOutcome applied(String cluster) {
    return new MemberOutcome.Applied(cluster, null, new ApplyResult.Applied(cluster,
        List.of(new Change(SCHEDULE, Action.CREATED, "", "", Optional.empty())), List.of(), true), new RequestCount(5, 1, 3),
        Duration.ofMillis(300));
  }

  private static MemberOutcome unreachable(String cluster) {
    return new MemberOutcome.Failed(cluster, MemberFailure.Reason.UNREACHABLE, "cannot reach https://10.0.0.3:6443: connection refused");
  }

  @Test
  void diffExitsZeroWithoutDifferencesOneWithThemAndTwoWhenAMemberFailed() {
    assertThat(diff(outcome(List.of(), diffed("kurator-member1", Action.UNCHANGED)))).isZero();
    assertThat(diff(outcome(List.of(), diffed("kurator-member1", Action.UNCHANGED), diffed("kurator-member2", Action.CONFIGURED))))
        .isEqualTo(1);
    assertThat(diff(outcome(List.of(), diffed("kurator-member1", Action.CONFIGURED), unreachable("kurator-member3")))).isEqualTo(2);
    assertThat(out.toString()).contains("kurator-member3  error      cannot reach https://10.0.0.3:6443: connection refused",
        "1 difference in 1 cluster, 1 cluster failed");
  }

  @Test
  void applyExitsZeroWhenEveryMemberAppliedAndTwoWhenOneWasRefused() {
    assertThat(apply(outcome(List.of(), applied("kurator-member1")))).isZero();
    MemberOutcome refused = new MemberOutcome.Refused("kurator-member2", null, new ApplyResult.Refused("kurator-member2",
        ApplyResult.Reason.MASS_DELETE, "would delete 9 of 10 objects; --allow-mass-delete allows it", List.of()),
        RequestCount.NONE, Duration.ZERO);
    assertThat(apply(outcome(List.of(), applied("kurator-member1"), refused))).isEqualTo(2);
  }

  @Test
  void applyPrintsWhereEachWorkflowStandsAfterWhatItDid() {
    assertThat(apply(outcome(List.of(NIGHTLY), applied("kurator-member1")))).isZero();

    String printed = out.toString();
    assertThat(printed).contains("kurator-member1\n  created     Schedule/velero/kurator-member1-backup-default-nightly\n");
    assertThat(printed.substring(printed.indexOf("1 created"))).contains("Backups (1)").containsPattern(
        "default/nightly +0 2 \\* \\* \\* +Enabled");
  }

  @Test
  void applyJsonHoldsEachMembersOutcomeAndTheWorkflowsAsStatusJsonHasThem() {
    assertThat(apply(outcome(List.of(NIGHTLY), applied("kurator-member1"), unreachable("kurator-member3")), "-o", "json"))
        .isEqualTo(2);

    JsonNode json = JsonMapper.builder().build().readTree(out.toString());
    assertThat(json.path("clusters").get(0).path("status").asString()).isEqualTo("ok");
    JsonNode failed = json.path("clusters").get(1);
    assertThat(failed.path("status").asString()).isEqualTo("error");
    assertThat(failed.path("reason").asString()).isEqualTo("UNREACHABLE");
    assertThat(failed.path("retryable").asBoolean()).isTrue();
    assertThat(json.path("backups").get(0).path("name").asString()).isEqualTo("nightly");
    assertThat(json.path("backups").get(0).path("phase").asString()).isEqualTo("Enabled");
  }

  @Test
  void diffYamlIsTheTreeOfDiffJson() {
    PassOutcome outcome = outcome(List.of(NIGHTLY), diffed("kurator-member1", Action.CONFIGURED), unreachable("kurator-member3"));
    assertThat(diff(outcome, "-o", "json")).isEqualTo(2);
    JsonNode json = JsonMapper.builder().build().readTree(out.toString());
    out.getBuffer().setLength(0);

    assertThat(diff(outcome, "-o", "yaml")).isEqualTo(2);

    assertThat(new tools.jackson.dataformat.yaml.YAMLMapper().readTree(out.toString())).isEqualTo(json);
    assertThat(out.toString()).contains("reason: \"UNREACHABLE\"");
  }

  @Test
  void diffYamlKeepsAHostileMessageInsideItsOwnValue() {
    String hostile = "dial tcp " + "x ".repeat(60) + "\n::error file=deploy/evil.yaml,line=1::forged\u001b[2J " + "y ".repeat(60)
        + ":: also ::error\u2028::error";
    PassOutcome outcome = outcome(List.of(),
        new MemberOutcome.Failed("kurator-member1", MemberFailure.Reason.UNREACHABLE, hostile));

    assertThat(diff(outcome, "-o", "yaml")).isEqualTo(2);

    String printed = out.toString();
    // exact, as -o json is: a control character is escaped, a format character such as U+2028 is kept
    assertThat(printed).doesNotContain("\u001b", "\r");
    assertThat(printed.lines()).noneMatch(line -> line.stripLeading().startsWith("::"));
    assertThat(new tools.jackson.dataformat.yaml.YAMLMapper().readTree(printed).path("clusters").get(0).path("message").asString())
        .isEqualTo(hostile);
  }

  @Test
  void anUnknownClusterIsAUsageErrorAndNoPassRuns() {
    assertThat(diff(outcome(List.of()), "--cluster", "kurator-member1", "--cluster", "nope")).isEqualTo(2);

    assertThat(err.toString()).contains("--cluster: no member cluster named nope in the config repo");
    assertThat(requests).isEmpty();
  }

  @Test
  void runOnceExitsAsThePassOutcomeSays() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("remote"))) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      Components standard = Main.components();
      for (boolean fails : List.of(false, true)) {
        PassOutcome outcome = fails ? outcome(List.of(), applied("kurator-member1"), unreachable("kurator-member3"))
            : outcome(List.of(), applied("kurator-member1"));
        Components components = new Components(standard.validator(), standard.pipeline(),
            (credentials, options, guardrails, fence, instance, concurrency, timeouts) -> policies -> outcome, standard.clock());
        int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(err), components).execute("run", "--once",
            "--repo", remote.url(), "--work-dir", dir.resolve("work").toString(), "--secrets-dir", dir.toString());

        assertThat(exit).as("a member failed: %s", fails).isEqualTo(fails ? 2 : 0);
      }
      assertThat(remote.filesOf(RunCommand.DEFAULT_STATUS_BRANCH)).as("the status is committed either way").containsKey("status.json");
    }
  }

  @Test
  void runSettingsThatCannotWorkAreUsageErrorsBeforeAnythingStarts() {
    for (List<String> flags : List.of(List.of("--enable-leader-election", "--leader-election-namespace", " "),
        List.of("--ops-addr", "8080"), List.of("--in-cluster"))) {
      StringWriter printed = new StringWriter();
      List<String> args = new ArrayList<>(List.of("run", "--repo", dir.resolve("nowhere").toString(), "--secrets-dir", dir.toString()));
      args.addAll(flags);

      int exit = Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(printed));

      assertThat(exit).as("%s", flags).isEqualTo(2);
      assertThat(printed.toString()).as("%s", flags).contains(switch (flags.get(0)) {
        case "--enable-leader-election" -> "--enable-leader-election needs --leader-election-namespace or $POD_NAMESPACE";
        case "--ops-addr" -> "--ops-addr: address 8080: expected [HOST]:PORT, for example :8080";
        default -> "--in-cluster reads Secrets from the cluster; drop --kubeconfig, --context, --secrets-dir and --kubeconfig-dir";
      });
    }
  }
}
