package dev.fleetbackup.workflows;

import static dev.fleetbackup.workflows.Observations.M1;
import static dev.fleetbackup.workflows.Observations.M2;
import static dev.fleetbackup.workflows.Observations.M3;
import static dev.fleetbackup.workflows.Observations.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.RunState;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.plan.Unrendered;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run's final name, decided once from fake observed state: what is created, kept, numbered, or waits, and why. */
class RunResolverTest {
  static final String SOURCE_BACKUP = M1 + "-migrate-default-shop-to-members";
  static final String NIGHTLY = M1 + "-backup-default-nightly";
  static final String PRE_UPGRADE = M1 + "-backup-default-shop-pre-upgrade";
  static final String ROLLBACK = M1 + "-restore-default-shop-rollback";

  @TempDir static Path dir;
  static PolicySet policies;
  static FleetPlan plan;
  static String sourceHash;
  final RunResolver resolver = new RunResolver();

  @BeforeAll
  static void plan() {
    policies = Observations.samplePolicies(dir);
    plan = new Planner(PlanSettings.DEFAULTS).plan(policies, Map.of(policies.fleets().get(0).id(),
        new StorageCredentials(new SecretValue("AKID"), new SecretValue("secret"))));
    sourceHash = plan.member(M1).orElseThrow().objects().stream().flatMap(o -> o.run().stream())
        .filter(r -> r.base().equals(SOURCE_BACKUP)).findFirst().orElseThrow().specHash();
  }

  @Test
  void migrationRestoreWaitsForTheSourceBackupToBeCreatedThenToComplete() {
    Observations o = new Observations();
    o.member(M1);
    o.member(M2);
    assertThat(waiting(resolver.resolve(plan, o.fleet()), M2, M2 + "-migrate-default-shop-to-members"))
        .isEqualTo("waits for the backup in source kurator-member1 to be created");

    o.member(M1).backup(SOURCE_BACKUP, 1, sourceHash, VeleroPhase.IN_PROGRESS, t("2026-11-25T14:00:00Z"));
    assertThat(waiting(resolver.resolve(plan, o.fleet()), M2, M2 + "-migrate-default-shop-to-members"))
        .isEqualTo("waits for backup " + SOURCE_BACKUP + " to complete in kurator-member1 (InProgress)");
  }

  @Test
  void migrationRestoreWaitsForVelerosSyncThenIsCreatedInEachTargetOnItsOwn() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE_BACKUP, 1, sourceHash, VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).synced(SOURCE_BACKUP, "readonly-kurator-member1", VeleroPhase.COMPLETED, t("2026-11-25T14:01:00Z"));
    o.member(M3).location("readonly-kurator-member1", "Unavailable", "bucket not found");

    Map<String, ResolvedPlan> resolved = resolver.resolve(plan, o.fleet());

    DesiredObject restore = object(resolved, M2, M2 + "-migrate-default-shop-to-members").orElseThrow();
    assertThat(restore.manifest().at("/spec/backupName").asString()).isEqualTo(SOURCE_BACKUP);
    assertThat(restore.manifest().at("/spec/includedNamespaces/0").asString()).isEqualTo("shop");
    assertThat(restore.manifest().at("/metadata/labels").toString()).contains("\"kurator.dev/migrate-name\":\"shop-to-members\"");
    assertThat(resolved.get(M2).runState(restore.ref())).contains(RunState.NEW);
    assertThat(waiting(resolved, M3, M3 + "-migrate-default-shop-to-members"))
        .isEqualTo("waits for Velero's sync to bring backup " + SOURCE_BACKUP + " into kurator-member3 through location "
            + "readonly-kurator-member1; location readonly-kurator-member1 is Unavailable: bucket not found");
  }

  @Test
  void anExistingMigrationRestoreIsKeptAndNeverCreatedAgain() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE_BACKUP, 1, sourceHash, VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).synced(SOURCE_BACKUP, "readonly-kurator-member1", VeleroPhase.COMPLETED, t("2026-11-25T14:01:00Z"))
        .restore(M2 + "-migrate-default-shop-to-members", SOURCE_BACKUP, VeleroPhase.IN_PROGRESS, t("2026-11-25T14:02:00Z"));

    ResolvedPlan m2 = resolver.resolve(plan, o.fleet()).get(M2);

    ObjectRef restore = new ObjectRef(ManagedKind.RESTORE, "velero", M2 + "-migrate-default-shop-to-members");
    assertThat(m2.runState(restore)).as("made from another policy (hash h): kept, not repeated").contains(RunState.NOT_REPEATED);
    assertThat(m2.plan().unrendered()).noneMatch(u -> u.ref().kind() == ManagedKind.RESTORE);
  }

  @Test
  void aSourceRunMadeFromAnEarlierPolicyIsNotRestored() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE_BACKUP, 1, "an-older-policy", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).synced(SOURCE_BACKUP, "readonly-kurator-member1", VeleroPhase.COMPLETED, t("2026-11-25T14:01:00Z"));

    assertThat(waiting(resolver.resolve(plan, o.fleet()), M2, M2 + "-migrate-default-shop-to-members"))
        .isEqualTo("waits for the backup in source kurator-member1 to be created");
  }

  @Test
  void aFailedSourceBackupBlocksTheRestoresAndIsNotRetried() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE_BACKUP, 1, sourceHash, VeleroPhase.FAILED, t("2026-11-25T14:00:00Z"));
    o.member(M2);

    assertThat(waiting(resolver.resolve(plan, o.fleet()), M2, M2 + "-migrate-default-shop-to-members"))
        .startsWith("cannot run: backup " + SOURCE_BACKUP + " Failed in kurator-member1: upload failed: the bucket is gone")
        .endsWith("not retried, a changed policy in Git makes a new run");
  }

  @Test
  void restoreOfAScheduleTakesTheNewestCompletedRunInThatCluster() {
    Observations o = new Observations();
    o.member(M1).schedule(NIGHTLY, "0 2 * * *", "Enabled", t("2026-11-20T10:00:00Z"))
        .scheduleRun(NIGHTLY, "20261123020000", VeleroPhase.COMPLETED, t("2026-11-23T02:00:00Z"))
        .scheduleRun(NIGHTLY, "20261124020000", VeleroPhase.COMPLETED, t("2026-11-24T02:00:00Z"))
        .scheduleRun(NIGHTLY, "20261125020000", VeleroPhase.PARTIALLY_FAILED, t("2026-11-25T02:00:00Z"))
        .scheduleRun(M2 + "-backup-default-nightly", "20261125030000", VeleroPhase.COMPLETED, t("2026-11-25T03:00:00Z"));

    DesiredObject restore = object(resolver.resolve(plan, o.fleet()), M1, M1 + "-restore-default-nightly-restore").orElseThrow();

    assertThat(restore.manifest().at("/spec/backupName").asString()).isEqualTo(NIGHTLY + "-20261124020000");
    assertThat(restore.manifest().at("/metadata/labels").toString()).contains("\"kurator.dev/restore-name\":\"nightly-restore\"");
    // The policy as the Kurator API gives it: filters, namespace mapping, restore status, node ports.
    assertThat(restore.manifest().at("/spec/includedNamespaces").toString()).isEqualTo("[\"shop\"]");
    assertThat(restore.manifest().at("/spec/namespaceMapping").toString()).isEqualTo("{\"shop\":\"shop-restored\"}");
    assertThat(restore.manifest().at("/spec/restoreStatus/includedResources").toString()).isEqualTo("[\"deployments\"]");
    assertThat(restore.manifest().at("/spec/preserveNodePorts").asBoolean()).isTrue();
    assertThat(restore.manifest().at("/metadata/annotations/fleet-backup.dev~1run-number").asString()).isEqualTo("1");
  }

  @Test
  void restoreOfAScheduleWithoutACompletedRunWaitsAndSaysForWhat() {
    Observations o = new Observations();
    o.member(M1).schedule(NIGHTLY, "0 2 * * *", "Enabled", t("2026-11-20T10:00:00Z"))
        .scheduleRun(NIGHTLY, "20261125020000", VeleroPhase.FAILED, t("2026-11-25T02:00:00Z"));

    Map<String, ResolvedPlan> resolved = resolver.resolve(plan, o.fleet());

    assertThat(object(resolved, M1, M1 + "-restore-default-nightly-restore")).isEmpty();
    assertThat(waiting(resolved, M1, M1 + "-restore-default-nightly-restore"))
        .isEqualTo("waits for a completed run of schedule " + NIGHTLY);
  }

  @Test
  void anUnreadableClusterMakesItsStepsWaitWithTheReason() {
    Observations o = new Observations().unreachable(M1, "cannot reach https://10.0.0.1:6443: connection refused");
    o.member(M2);

    assertThat(waiting(resolver.resolve(plan, o.fleet()), M2, M2 + "-migrate-default-shop-to-members"))
        .isEqualTo("waits for the source backup; kurator-member1 could not be read (cannot reach https://10.0.0.1:6443: connection refused)");
  }

  @Test
  void everythingButTheRunsIsLeftAsItIs() {
    Map<String, ResolvedPlan> resolved = resolver.resolve(plan, new Observations().fleet());
    for (MemberPlan before : plan.members()) {
      MemberPlan after = resolved.get(before.cluster()).plan();
      assertThat(after.objects().stream().filter(o -> !o.isRun()).toList())
          .isEqualTo(before.objects().stream().filter(o -> !o.isRun()).toList());
      assertThat(after.unrendered()).containsAll(before.unrendered());
    }
  }

  @Test
  void firstPassCreatesEveryBackupRunAndTheRestoreOfOneWaitsForIt() {
    Observations o = new Observations();
    o.member(M1);

    Map<String, ResolvedPlan> resolved = resolver.resolve(plan, o.fleet());

    assertThat(resolved.get(M1).runState(new ObjectRef(ManagedKind.BACKUP, "velero", PRE_UPGRADE))).contains(RunState.NEW);
    assertThat(waiting(resolved, M1, ROLLBACK)).isEqualTo("waits for a run of Backup default/shop-pre-upgrade in " + M1);
  }

  @Test
  void theSameSpecIsTheCurrentRunAndAChangedSpecIsTheNextNumberedRun() {
    Observations o = new Observations();
    o.member(M1).backup(PRE_UPGRADE, 1, hash(M1, PRE_UPGRADE), VeleroPhase.IN_PROGRESS, t("2026-11-25T14:00:00Z"));
    assertThat(resolver.resolve(plan, o.fleet()).get(M1).runState(new ObjectRef(ManagedKind.BACKUP, "velero", PRE_UPGRADE)))
        .contains(RunState.CURRENT);

    Observations changed = new Observations();
    changed.member(M1).backup(PRE_UPGRADE, 1, "an-older-policy", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    Map<String, ResolvedPlan> resolved = resolver.resolve(plan, changed.fleet());
    ObjectRef second = new ObjectRef(ManagedKind.BACKUP, "velero", PRE_UPGRADE + "-2");
    assertThat(resolved.get(M1).runState(second)).contains(RunState.NEW);
    DesiredObject run2 = resolved.get(M1).plan().object(second).orElseThrow();
    assertThat(run2.manifest().at("/metadata/annotations/fleet-backup.dev~1run-number").asString()).isEqualTo("2");
    assertThat(run2.manifest().at("/metadata/annotations/fleet-backup.dev~1run").asString()).isEqualTo(PRE_UPGRADE);
    assertThat(waiting(resolved, M1, ROLLBACK)).as("the older policy's run is not restored")
        .isEqualTo("waits for a run of Backup default/shop-pre-upgrade in " + M1);
  }

  @Test
  void aRunTheInventoryRemembersButTheClusterLostIsNotCreatedAgain() {
    Observations o = new Observations();
    o.member(M1).gone(ManagedKind.BACKUP, PRE_UPGRADE, 1, hash(M1, PRE_UPGRADE));

    assertThat(resolver.resolve(plan, o.fleet()).get(M1).runState(new ObjectRef(ManagedKind.BACKUP, "velero", PRE_UPGRADE)))
        .contains(RunState.GONE);
  }

  @Test
  void aRestoreOfAnImmediateBackupRestoresItsCompletedCurrentRunAndRunsOnce() {
    Observations o = new Observations();
    o.member(M1).backup(PRE_UPGRADE, 2, hash(M1, PRE_UPGRADE), VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    ResolvedPlan m1 = resolver.resolve(plan, o.fleet()).get(M1);
    ObjectRef restore = new ObjectRef(ManagedKind.RESTORE, "velero", ROLLBACK);
    assertThat(m1.runState(restore)).contains(RunState.NEW);
    assertThat(m1.plan().object(restore).orElseThrow().manifest().at("/spec/backupName").asString()).isEqualTo(PRE_UPGRADE + "-2");

    o.member(M1).restore(ROLLBACK, PRE_UPGRADE + "-2", VeleroPhase.COMPLETED, t("2026-11-25T14:05:00Z"));
    assertThat(resolver.resolve(plan, o.fleet()).get(M1).runState(restore)).as("ran from another policy (hash h)")
        .contains(RunState.NOT_REPEATED);

    Observations removed = new Observations();
    removed.member(M1).backup(PRE_UPGRADE, 2, hash(M1, PRE_UPGRADE), VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"))
        .gone(ManagedKind.RESTORE, ROLLBACK, 1, hash(M1, ROLLBACK));
    assertThat(resolver.resolve(plan, removed.fleet()).get(M1).runState(restore))
        .as("a restore the inventory remembers is not run again").contains(RunState.GONE);
  }

  private static String hash(String cluster, String base) {
    return plan.member(cluster).orElseThrow().objects().stream().flatMap(o -> o.run().stream())
        .filter(r -> r.base().equals(base)).findFirst().orElseThrow().specHash();
  }

  private static Optional<DesiredObject> object(Map<String, ResolvedPlan> plans, String cluster, String name) {
    return plans.get(cluster).plan().objects().stream().filter(d -> d.ref().name().equals(name)).findFirst();
  }

  private static String waiting(Map<String, ResolvedPlan> plans, String cluster, String name) {
    List<Unrendered> found = plans.get(cluster).plan().unrendered().stream().filter(u -> u.ref().name().equals(name)).toList();
    assertThat(found).as(cluster + " " + name).singleElement().extracting(Unrendered::reason).isEqualTo(Unrendered.Reason.WAITING_FOR_BACKUP);
    return found.get(0).message();
  }
}
