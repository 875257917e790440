package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.InMemoryMember;
import dev.fleetbackup.cluster.Kubeconfig;
import dev.fleetbackup.cluster.KubeconfigPolicy;
import dev.fleetbackup.cluster.MemberBudget;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberConnector;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryEntry;
import dev.fleetbackup.observe.InventoryOrigin;
import dev.fleetbackup.observe.Observer;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pass over the sample repo's three members, held in memory: each member is read once, its
 * runs named from that read, and only what differs is written; a member that refuses its read
 * fails alone.
 */
class PipelineTest {
  private static final List<String> MEMBERS = List.of("kurator-member1", "kurator-member2", "kurator-member3");
  private static final Pipeline.Request APPLY = new Pipeline.Request(new Credentials(), Selection.ALL,
      new Pipeline.Apply(ApplyOptions.DEFAULTS));

  private final Map<String, InMemoryMember> members = new LinkedHashMap<>();
  private final Pipeline pipeline = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS),
      (cluster, kubeconfig, budget) -> members.get(cluster), Duration.ofMinutes(1), Clock.systemUTC());
  private final PolicySet policies = policies();

  PipelineTest() {
    // Velero's CRDs are in, and "Velero" validates every storage location as soon as it is written
    MEMBERS.forEach(m -> members.put(m, new InMemoryMember(m).installVeleroCrds()
        .controller(ManagedKind.BACKUP_STORAGE_LOCATION, PipelineTest::available)));
  }

  @Test
  void aSteadyPassReadsEachThingOnceAndNeitherDryRunsNorWritesWhatTheMembersHoldAsPlanned() {
    assertThat(pipeline.run(policies, APPLY).failed()).isFalse();
    Map<String, RequestCount> before = new LinkedHashMap<>();
    members.forEach((name, m) -> before.put(name, m.requests()));
    Map<String, Integer> readsBefore = new LinkedHashMap<>();
    members.forEach((name, m) -> readsBefore.put(name, m.reads().size()));

    PassOutcome second = pipeline.run(policies, APPLY);

    assertThat(second.failed()).isFalse();
    assertThat(second.exitCode()).isEqualTo(ExitCode.OK);
    members.forEach((name, m) -> {
      List<String> reads = m.reads().subList(readsBefore.get(name), m.reads().size());
      assertThat(new HashSet<>(reads)).as(name + ": each object and list read once in the pass").hasSameSizeAs(reads);
      RequestCount sent = m.requests().minus(before.get(name));
      assertThat(sent.writes()).as(name + ": nothing to write").isZero();
      assertThat(sent.dryRuns()).as(name + ": every reconciled object is held as planned").isZero();
      assertThat(second.member(name).orElseThrow().outcome().changeSet().orElseThrow().changes())
          .filteredOn(c -> c.ref().kind().lifecycle() == ManagedKind.Lifecycle.RECONCILED).isNotEmpty()
          .extracting(Change::action).containsOnly(Action.UNCHANGED);
    });
  }

  @Test
  void theStatusOfAnApplyFollowsTheRunsItCreatedFromTheirCreation() {
    PassOutcome first = pipeline.run(policies, APPLY);

    WorkflowStatus preUpgrade = first.backups().stream().filter(b -> b.id().name().equals("shop-pre-upgrade")).findFirst()
        .orElseThrow();
    assertThat(preUpgrade.clusters()).allSatisfy(c -> assertThat(c.current())
        .as(c.cluster() + ": the run it created, as Velero has it before it starts").hasValueSatisfying(r ->
            assertThat(r.phaseText()).isEqualTo("New")));
    assertThat(members.get("kurator-member1").object(new ObjectRef(ManagedKind.BACKUP, "velero",
        "kurator-member1-backup-default-shop-pre-upgrade"))).isPresent();
  }

  @Test
  void aMemberThatRefusesItsReadFailsAloneAndIsNotWrittenTo() {
    members.get("kurator-member2").fail(InMemoryMember.Verb.LIST, new ObjectRef(ManagedKind.BACKUP, "velero", "*"),
        new RequestFailure(RequestFailure.Kind.FORBIDDEN, 403, "(Forbidden, 403) backups.velero.io is forbidden"));

    PassOutcome pass = pipeline.run(policies, APPLY);

    assertThat(pass.reason()).contains(MemberFailure.Reason.FORBIDDEN);
    assertThat(pass.member("kurator-member2").orElseThrow().failure()).hasValueSatisfying(f -> assertThat(f.message())
        .isEqualTo("cannot read from memory://kurator-member2: (Forbidden, 403) backups.velero.io is forbidden"));
    assertThat(members.get("kurator-member2").writes()).isEmpty();
    assertThat(members.get("kurator-member2").requests().dryRuns()).isZero();
    assertThat(pass.member("kurator-member1").orElseThrow().outcome()).isInstanceOf(MemberOutcome.Applied.class);
    assertThat(pass.member("kurator-member3").orElseThrow().outcome()).isInstanceOf(MemberOutcome.Applied.class);
  }

  @Test
  void aMemberThatStopsAnsweringIsCutOffAtItsBudgetAndThePassGoesOn() {
    members.get("kurator-member2").hang(InMemoryMember.Verb.LIST, new ObjectRef(ManagedKind.RESTORE, "velero", "*"));
    Pipeline budgeted = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS),
        (cluster, kubeconfig, budget) -> members.get(cluster), Duration.ofSeconds(2), Clock.systemUTC());

    PassOutcome pass = budgeted.run(policies, APPLY);

    assertThat(pass.member("kurator-member2").orElseThrow().failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.TIMED_OUT);
      assertThat(f.message()).isEqualTo("not read within its budget of 2 s for a pass");
    });
    assertThat(members.get("kurator-member2").writes()).isEmpty();
    assertThat(pass.member("kurator-member1").orElseThrow().outcome()).isInstanceOf(MemberOutcome.Applied.class);
    assertThat(pass.member("kurator-member3").orElseThrow().outcome()).isInstanceOf(MemberOutcome.Applied.class);
  }

  @Test
  void theRequestsMemberTimeoutAndRequestTimeoutOverrideThePipelines() {
    members.get("kurator-member2").hang(InMemoryMember.Verb.LIST, new ObjectRef(ManagedKind.RESTORE, "velero", "*"));
    List<Duration> requestTimeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
    MemberConnector connector = new MemberConnector() {
      @Override
      public MemberConnection open(String cluster, Kubeconfig kubeconfig, MemberBudget budget) {
        return members.get(cluster);
      }

      @Override
      public MemberConnector withRequestTimeout(Duration timeout) {
        requestTimeouts.add(timeout);
        return this;
      }
    };
    Pipeline patient = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS), connector, Duration.ofMinutes(5), Clock.systemUTC());

    PassOutcome pass = patient.run(policies, new Pipeline.Request(APPLY.credentials(), Selection.ALL, APPLY.mode(), Concurrency.DEFAULT,
        Timeouts.of(Duration.ofSeconds(7), Duration.ofSeconds(2))));

    assertThat(pass.member("kurator-member2").orElseThrow().failure()).hasValueSatisfying(f ->
        assertThat(f.message()).isEqualTo("not read within its budget of 2 s for a pass"));
    assertThat(requestTimeouts).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void aRestoreIsCreatedOnceItsBackupRunHasCompletedNamingThatRun() {
    pipeline.run(policies, APPLY);
    InMemoryMember m1 = members.get("kurator-member1");
    ObjectRef backup = new ObjectRef(ManagedKind.BACKUP, "velero", "kurator-member1-backup-default-shop-pre-upgrade");
    ObjectRef restore = new ObjectRef(ManagedKind.RESTORE, "velero", "kurator-member1-restore-default-shop-rollback");
    assertThat(m1.object(restore)).as("waits while the backup has not completed").isEmpty();

    completed(m1, backup);
    pipeline.run(policies, APPLY);
    pipeline.run(policies, APPLY);

    assertThat(m1.object(restore)).hasValueSatisfying(r ->
        assertThat(r.at("/spec/backupName").asString()).isEqualTo(backup.name()));
    assertThat(m1.writes()).filteredOn(w -> w.startsWith("CREATE Restore/")).containsExactly("CREATE " + restore);
  }

  @Test
  void aRestoreRemovedFromGitAndBroughtBackByARevertNeverRunsAgain(@TempDir Path dir) throws IOException {
    InMemoryMember m1 = members.get("kurator-member1");
    ObjectRef backup = new ObjectRef(ManagedKind.BACKUP, "velero", "kurator-member1-backup-default-shop-pre-upgrade");
    ObjectRef restore = new ObjectRef(ManagedKind.RESTORE, "velero", "kurator-member1-restore-default-shop-rollback");
    pipeline.run(policies, APPLY);
    completed(m1, backup);
    pipeline.run(policies, APPLY);
    completed(m1, restore);

    PassOutcome removed = pipeline.run(policiesWithout(dir, "restores/shop-rollback.yaml"), APPLY);
    assertThat(m1.writes()).contains("DELETE " + restore);
    assertThat(m1.object(restore)).as("pruned with its policy").isEmpty();
    assertThat(removed.failed()).isFalse();

    PassOutcome reverted = pipeline.run(policies, APPLY);
    pipeline.run(policies, APPLY);

    assertThat(m1.writes()).filteredOn(w -> w.startsWith("CREATE Restore/")).as("the restore ran once").containsExactly("CREATE " + restore);
    assertThat(reverted.member("kurator-member1").orElseThrow().outcome().changeSet().orElseThrow().changes())
        .filteredOn(c -> c.ref().equals(restore)).singleElement().satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.SKIPPED);
          assertThat(c.note()).contains("it is not re-created");
        });
  }

  @Test
  void anInventoryEditedByHandIsReportedPrunesNothingThereAndIsWrittenAgainWithWhatCanBeProven(@TempDir Path dir)
      throws Exception {
    pipeline.run(policies, APPLY);
    InMemoryMember m1 = members.get("kurator-member1");
    ObjectRef theirs = new ObjectRef(ManagedKind.CONFIG_MAP, "velero", "team-settings");
    ObjectNode team = JsonNodeFactory.instance.objectNode();
    team.put("apiVersion", "v1").put("kind", "ConfigMap");
    team.putObject("metadata").put("name", theirs.name()).put("namespace", "velero")
        .putObject("labels").put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE); // copied from one of fleet-backup's
    m1.put(theirs, team);
    String uid = m1.object(theirs).orElseThrow().path("metadata").path("uid").asString();
    m1.edit(Inventory.REF, "kubectl-edit", Instant.parse("2026-12-02T03:10:00Z"), cm -> {
      List<InventoryEntry> entries = new ArrayList<>(inventory(cm).entries());
      entries.add(new InventoryEntry(theirs, Optional.empty(), false, Optional.of(uid)));
      cm.withObject("/data").put(Inventory.DATA_KEY, Inventory.of(entries).toJson());
      return cm;
    });
    ObjectRef nightly1 = new ObjectRef(ManagedKind.SCHEDULE, "velero", "kurator-member1-backup-default-nightly");
    ObjectRef nightly2 = new ObjectRef(ManagedKind.SCHEDULE, "velero", "kurator-member2-backup-default-nightly");
    PolicySet withoutNightly = policiesWithout(dir, "backups/nightly.yaml");
    int writesBefore = m1.writes().size();

    PassOutcome edited = pipeline.run(withoutNightly, APPLY);

    assertThat(edited.failed()).isFalse();
    ClusterState state = edited.member("kurator-member1").orElseThrow().state();
    assertThat(state.warnings()).singleElement().satisfies(w -> {
      assertThat(w.reason()).isEqualTo("InventoryEdited");
      assertThat(w.message()).startsWith("inventory kube-system/fleet-backup-inventory was edited by kubectl-edit (Update) at"
          + " 2026-12-02T03:10:00Z, not by fleet-backup: nothing is pruned in this cluster on this pass");
    });
    assertThat(m1.writes().subList(writesBefore, m1.writes().size())).as("nothing deleted in member1")
        .containsExactly("APPLY " + Inventory.REF);
    assertThat(m1.object(theirs)).as("someone else's, listed by hand").isPresent();
    assertThat(m1.object(nightly1)).as("its prune waits for the next pass").isPresent();
    assertThat(members.get("kurator-member2").object(nightly2)).as("the other members prune as ever").isEmpty();
    String readme = new String(new StatusFiles().render(report(edited)).get(StatusFiles.README), StandardCharsets.UTF_8);
    assertThat(readme).contains("inventory edited").contains("kubectl-edit");
    Inventory rewritten = inventory(m1.object(Inventory.REF).orElseThrow());
    assertThat(rewritten.refs()).doesNotContain(theirs).contains(nightly1);
    assertThat(new Observer("velero").observe(m1).inventoryOrigin()).isEqualTo(new InventoryOrigin.Written());

    PassOutcome next = pipeline.run(withoutNightly, APPLY);

    assertThat(next.member("kurator-member1").orElseThrow().state().warnings()).as("cleared by one apply").isEmpty();
    assertThat(m1.object(nightly1)).as("pruned now, on the word of fleet-backup's own inventory").isEmpty();
    assertThat(m1.object(theirs)).isPresent();
  }

  @Test
  void anInventoryFromTheVersionBeforeDigestsIsTakenAsItIsAndSealedByTheNextApply() throws Exception {
    pipeline.run(policies, APPLY);
    InMemoryMember m1 = members.get("kurator-member1");
    ObjectNode older = m1.object(Inventory.REF).orElseThrow();
    older.withObject("/metadata").remove("annotations"); // as a version before digests wrote it: fleet-backup its one writer
    m1.put(Inventory.REF, older);
    Map<String, Integer> writesBefore = new LinkedHashMap<>();
    members.forEach((name, m) -> writesBefore.put(name, m.writes().size()));

    PassOutcome pass = pipeline.run(policies, APPLY);

    assertThat(pass.member("kurator-member1").orElseThrow().state().warnings()).isEmpty();
    members.forEach((name, m) -> assertThat(m.writes().subList(writesBefore.get(name), m.writes().size())).as(name)
        .isEqualTo(name.equals("kurator-member1") ? List.of("APPLY " + Inventory.REF) : List.of()));
    assertThat(new Observer("velero").observe(m1).inventoryOrigin()).isEqualTo(new InventoryOrigin.Written());
    assertThat(inventory(m1.object(Inventory.REF).orElseThrow()).entries()).isEqualTo(inventory(older).entries());
  }

  private static Inventory inventory(ObjectNode configMap) {
    try {
      return Inventory.fromConfigMap(configMap);
    } catch (Inventory.InventoryException e) {
      throw new AssertionError(e);
    }
  }

  private static StatusReport report(PassOutcome outcome) {
    return new StatusReport(Instant.EPOCH, Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(),
        outcome.clusters(), outcome.backups(), outcome.restores(), outcome.migrations());
  }

  private static void completed(InMemoryMember member, ObjectRef run) {
    ObjectNode object = member.object(run).orElseThrow();
    object.withObject("/status").put("phase", "Completed");
    member.put(run, object);
  }

  /** The sample repo without one of its files. */
  private static PolicySet policiesWithout(Path dir, String file) throws IOException {
    Path copy = dir.resolve("repo");
    try (var paths = Files.walk(Path.of("sample-repo"))) {
      for (Path p : paths.toList()) {
        Path target = copy.resolve(Path.of("sample-repo").relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.delete(copy.resolve(file));
    ValidationReport report = new Validator().validate(new DirectoryReader(copy).read("test", ""));
    assertThat(report.valid()).as(report.summary()).isTrue();
    return report.policies();
  }

  private static ObjectNode available(ObjectNode location) {
    location.withObject("/status").put("phase", "Available");
    return location;
  }

  private static PolicySet policies() {
    try {
      ValidationReport report = new Validator().validate(new DirectoryReader(Path.of("sample-repo")).read("test", ""));
      assertThat(report.valid()).as(report.summary()).isTrue();
      return report.policies();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The members' kubeconfigs are never used (the members are in memory); the storage keys are the fleet's. */
  private static final class Credentials implements CredentialSource {
    @Override
    public Kubeconfig kubeconfig(AttachedCluster cluster) {
      return new Kubeconfig("memory", "", KubeconfigPolicy.STRICT);
    }

    @Override
    public StorageCredentials storage(Fleet fleet) {
      return new StorageCredentials(new SecretValue("AKID"), new SecretValue("secret-0123456789"));
    }
  }

}
