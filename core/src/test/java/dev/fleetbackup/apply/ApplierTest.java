package dev.fleetbackup.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.cluster.InMemoryMember;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.MemberDiff;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.SamplePlan;
import dev.fleetbackup.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The Applier against a member in memory, on what the sample config repo plans for kurator-member1. */
class ApplierTest {
  private static final String M1 = "kurator-member1";
  private static final ObjectRef DEPLOYMENT = new ObjectRef(ManagedKind.DEPLOYMENT, "velero", "velero");
  private static final ObjectRef NODE_AGENT = new ObjectRef(ManagedKind.DAEMON_SET, "velero", "node-agent");
  private static final ObjectRef SECRET = new ObjectRef(ManagedKind.SECRET, "velero", "quickstart-velero-s3");
  private static final ObjectRef LOCATION = new ObjectRef(ManagedKind.BACKUP_STORAGE_LOCATION, "velero", "default");
  private static final ObjectRef SELECT_LABELS = new ObjectRef(ManagedKind.BACKUP, "velero", M1 + "-backup-default-select-labels");
  private static final String INVENTORY = "APPLY ConfigMap/kube-system/fleet-backup-inventory";
  private static final List<String> FIRST_PASS_WRITES = List.of(
      INVENTORY,
      "APPLY Namespace/velero",
      "APPLY ServiceAccount/velero/velero",
      "APPLY ServiceAccount/velero/velero-upgrade-crds",
      "APPLY ClusterRole/velero-upgrade-crds",
      "APPLY ClusterRoleBinding/velero",
      "APPLY ClusterRoleBinding/velero-upgrade-crds",
      "APPLY Secret/velero/quickstart-velero-s3",
      "CREATE Job/velero/velero-upgrade-crds",
      "APPLY Deployment/velero/velero",
      "APPLY DaemonSet/velero/node-agent",
      "APPLY BackupStorageLocation/velero/default",
      "APPLY Schedule/velero/kurator-member1-backup-default-nightly",
      "CREATE Backup/velero/kurator-member1-backup-default-select-labels",
      "CREATE Backup/velero/kurator-member1-backup-default-shop-pre-upgrade",
      "CREATE Backup/velero/kurator-member1-migrate-default-shop-to-members",
      INVENTORY);

  private final MemberPlan plan = SamplePlan.member(M1);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T14:00:00Z"));
  private int polls;
  private final Applier applier = new Applier(ApplyOptions.DEFAULTS, clock, interval -> {
    polls++;
    clock.advance(interval);
  }, Fence.NONE);
  /** Velero's CRDs are in; "Velero" validates every storage location as soon as it is written. */
  private final InMemoryMember member = new InMemoryMember(M1).installVeleroCrds()
      .controller(ManagedKind.BACKUP_STORAGE_LOCATION, ApplierTest::available);

  @Test
  void aFreshMemberIsWrittenStageByStageItsInventoryFirstAndLast() throws Exception {
    ApplyResult.Applied result = applied(pass(plan));

    assertThat(member.writes()).containsExactlyElementsOf(FIRST_PASS_WRITES);
    assertThat(result.succeeded()).isTrue();
    assertThat(result.inventoryWritten()).isTrue();
    assertThat(result.changes()).filteredOn(c -> c.action() == Action.CREATED).hasSize(15);
    assertThat(result.changes()).filteredOn(c -> c.action() == Action.SKIPPED).extracting(c -> c.ref().kind())
        .containsExactly(ManagedKind.RESTORE); // it waits for its backup run to complete
    assertThat(storedInventory().refs()).hasSize(15).contains(SELECT_LABELS, DEPLOYMENT);
  }

  @Test
  void aReplicaThatLosesTheLeaseMidPassWritesNothingMore() throws Exception {
    int[] allowed = {3};
    Applier fenced = new Applier(ApplyOptions.DEFAULTS, clock, clock::advance, member -> allowed[0]-- > 0);

    ApplyResult.Applied result = (ApplyResult.Applied) fenced.apply(member, pass(plan));

    assertThat(member.writes()).as("the writes made while it led, and no other").containsExactlyElementsOf(FIRST_PASS_WRITES.subList(0, 3));
    assertThat(result.inventoryWritten()).as("ahead of the other writes, not after them").isTrue();
    assertThat(result.failures()).first().satisfies(f -> {
      assertThat(f.reason()).isEqualTo("NotLeader");
      assertThat(f.message()).isEqualTo("not written: this instance no longer holds the Lease");
    });
  }

  @Test
  void aMemberThatStopsAnsweringIsSentNothingMoreAndFailsAsUnreachable() throws Exception {
    member.fail(InMemoryMember.Verb.APPLY, SECRET, new RequestFailure(RequestFailure.Kind.UNREACHABLE, 0,
        "IOException: Connection refused"));

    ApplyResult.Applied result = (ApplyResult.Applied) applier.apply(member, pass(plan));

    assertThat(member.writes()).as("up to the write that got no answer, and nothing after it, not the inventory")
        .containsExactlyElementsOf(FIRST_PASS_WRITES.subList(0, FIRST_PASS_WRITES.indexOf("APPLY " + SECRET) + 1));
    assertThat(result.stoppedAnswering()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.UNREACHABLE);
      assertThat(f.message()).isEqualTo("cannot reach " + member.server() + ": IOException: Connection refused");
    });
    assertThat(result.failures()).extracting(ObjectFailure::toString)
        .containsExactly("Secret/velero/quickstart-velero-s3 ApplyFailed: IOException: Connection refused");
    assertThat(result.inventoryWritten()).as("ahead of the writes").isTrue();
    assertThat(result.succeeded()).isFalse();
  }

  @Test
  void aMemberThatStopsAnsweringWhileALocationIsAwaitedIsNotWaitedFor() throws Exception {
    member.fail(InMemoryMember.Verb.GET, LOCATION, new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0,
        "SocketTimeoutException: timeout"));

    ApplyResult.Applied result = (ApplyResult.Applied) applier.apply(member, pass(plan));

    assertThat(result.stoppedAnswering()).map(MemberFailure::reason).contains(MemberFailure.Reason.TIMED_OUT);
    assertThat(polls).as("not polled until the wait's timeout").isZero();
    assertThat(member.writes()).noneMatch(w -> w.startsWith("CREATE Backup/")).last().isNotEqualTo(INVENTORY);
  }

  /**
   * A reconciler that stops after the inventory's first write (killed, or no longer leading) has
   * listed what it was about to apply: the next pass prunes it once no longer desired.
   */
  @Test
  void whatAPassStoppedMidwayWroteIsInTheInventoryAndPrunedLater() throws Exception {
    int[] allowed = {4};
    Applier stopping = new Applier(ApplyOptions.DEFAULTS, clock, clock::advance, member -> allowed[0]-- > 0);
    stopping.apply(member, pass(plan));
    ObjectRef crdsAccount = new ObjectRef(ManagedKind.SERVICE_ACCOUNT, "velero", "velero-upgrade-crds");
    assertThat(member.writes()).containsExactlyElementsOf(FIRST_PASS_WRITES.subList(0, 4)).contains("APPLY " + crdsAccount);
    assertThat(storedInventory().refs()).as("written first").contains(crdsAccount, DEPLOYMENT, LOCATION);
    assertThat(storedInventory().entries()).as("runs carry their identity themselves").noneMatch(e -> e.run().isPresent());

    applied(pass(SamplePlan.without(plan, crdsAccount)));

    assertThat(member.writes()).contains("DELETE " + crdsAccount);
    assertThat(member.object(crdsAccount)).isEmpty();
  }

  @Test
  void aSecondPassWritesNothingNotEvenTheInventory() throws Exception {
    applied(pass(plan));
    int before = member.writes().size();

    ApplyResult.Applied again = applied(pass(plan));

    assertThat(member.writes()).hasSize(before);
    assertThat(again.inventoryWritten()).isFalse();
    assertThat(again.changes()).extracting(Change::action).containsOnly(Action.UNCHANGED, Action.SKIPPED);
  }

  @Test
  void driftIsConfiguredBackAndOnlyTheDriftedObjectIsWritten() throws Exception {
    applied(pass(plan));
    ObjectNode scaled = member.object(DEPLOYMENT).orElseThrow();
    scaled.withObject("/spec").put("replicas", 0);
    member.put(DEPLOYMENT, scaled);
    int before = member.writes().size();

    ApplyResult.Applied result = applied(pass(plan));

    assertThat(member.writes().subList(before, member.writes().size())).containsExactly("APPLY Deployment/velero/velero");
    assertThat(result.changes()).filteredOn(c -> c.action() == Action.CONFIGURED).extracting(Change::ref).containsExactly(DEPLOYMENT);
    assertThat(member.object(DEPLOYMENT).orElseThrow().path("spec").path("replicas").asInt()).isEqualTo(1);
  }

  @Test
  void aRunIsCreatedOnceAndOneThatAppearedMeanwhileIsLeftAsItIs() throws Exception {
    ChangeSet changes = pass(plan);
    ObjectNode meanwhile = changes.changes().stream().filter(c -> c.ref().equals(SELECT_LABELS)).findFirst().orElseThrow()
        .desired().orElseThrow().manifest();
    meanwhile.withObject("/status").put("phase", "InProgress");
    member.put(SELECT_LABELS, meanwhile);

    ApplyResult.Applied result = applied(changes);

    assertThat(result.failures()).isEmpty();
    Change selectLabels = result.changes().stream().filter(c -> c.ref().equals(SELECT_LABELS)).findFirst().orElseThrow();
    assertThat(selectLabels.action()).isEqualTo(Action.UNCHANGED);
    assertThat(selectLabels.note()).isEqualTo("already exists");
    assertThat(member.object(SELECT_LABELS).orElseThrow().path("status").path("phase").asString()).isEqualTo("InProgress");
    assertThat(storedInventory().refs()).contains(SELECT_LABELS);
  }

  @Test
  void whatIsNoLongerDesiredIsDeletedInReverseOrderAndLeavesTheInventory() throws Exception {
    applied(pass(plan));
    int before = member.writes().size();

    ApplyResult.Applied result = applied(pass(SamplePlan.without(plan, DEPLOYMENT, NODE_AGENT)));

    assertThat(member.writes().subList(before, member.writes().size())).containsExactly(
        "DELETE DaemonSet/velero/node-agent", "DELETE Deployment/velero/velero", "APPLY ConfigMap/kube-system/fleet-backup-inventory");
    assertThat(result.changes()).filteredOn(c -> c.action() == Action.DELETED).extracting(Change::ref)
        .containsExactlyInAnyOrder(DEPLOYMENT, NODE_AGENT);
    assertThat(member.object(DEPLOYMENT)).isEmpty();
    assertThat(storedInventory().refs()).doesNotContain(DEPLOYMENT, NODE_AGENT).hasSize(13);
  }

  @Test
  void aPassThatWouldDeleteMostOfWhatItManagesIsRefusedUnlessAllowed() throws Exception {
    applied(pass(plan));
    int before = member.writes().size();
    MemberPlan almostNothing = SamplePlan.without(plan, plan.refs().stream()
        .filter(r -> r.kind() != ManagedKind.NAMESPACE).toArray(ObjectRef[]::new));

    ApplyResult refused = applier.apply(member, pass(almostNothing));

    assertThat(refused).isInstanceOfSatisfying(ApplyResult.Refused.class, r -> {
      assertThat(r.reason()).isEqualTo(ApplyResult.Reason.MASS_DELETE);
      assertThat(r.message()).contains("--allow-mass-delete");
    });
    assertThat(member.writes()).hasSize(before);

    Applier allowed = new Applier(ApplyOptions.DEFAULTS.withDeletes(ApplyOptions.Deletes.ALLOW_MASS_DELETE), clock,
        i -> clock.advance(i), Fence.NONE);
    ApplyResult done = allowed.apply(member, pass(almostNothing));
    assertThat(done).isInstanceOf(ApplyResult.Applied.class);
    assertThat(member.object(DEPLOYMENT)).isEmpty();
    assertThat(member.object(SELECT_LABELS)).as("Backups are never pruned").isPresent();
  }

  @Test
  void aFailedDryRunRefusesThePassAndNothingIsWritten() throws Exception {
    member.fail(InMemoryMember.Verb.DRY_RUN, DEPLOYMENT, new RequestFailure(RequestFailure.Kind.OTHER, 422,
        "(Invalid, 422) Deployment.apps \"velero\" is invalid"));

    ApplyResult result = applier.apply(member, pass(plan));

    assertThat(result).isInstanceOfSatisfying(ApplyResult.Refused.class, r ->
        assertThat(r.reason()).isEqualTo(ApplyResult.Reason.DRY_RUN_FAILED));
    assertThat(member.writes()).isEmpty();
  }

  @Test
  void aFailingWriteStopsTheLaterStagesAndTheRunsItKeptFromBeingCreatedAreNotRemembered() throws Exception {
    member.fail(InMemoryMember.Verb.APPLY, SECRET, new RequestFailure(RequestFailure.Kind.FORBIDDEN, 403,
        "(Forbidden, 403) secrets is forbidden"));

    ApplyResult.Applied result = applied(pass(plan));

    assertThat(result.failures()).extracting(ObjectFailure::toString)
        .containsExactly("Secret/velero/quickstart-velero-s3 ApplyFailed: (Forbidden, 403) secrets is forbidden");
    List<String> untilTheSecret = FIRST_PASS_WRITES.subList(0, FIRST_PASS_WRITES.indexOf("APPLY " + SECRET) + 1);
    assertThat(member.writes()).containsExactlyElementsOf(
        java.util.stream.Stream.concat(untilTheSecret.stream(), java.util.stream.Stream.of(INVENTORY)).toList());
    assertThat(storedInventory().entries()).noneMatch(e -> e.run().isPresent());
  }

  @Test
  void aLocationThatNeverBecomesAvailableTimesOutOnTheClockAndItsBackupsWait() throws Exception {
    InMemoryMember unvalidated = new InMemoryMember(M1).installVeleroCrds(); // no Velero validates its location
    Instant start = clock.instant();
    long wallStart = System.nanoTime();

    ApplyResult.Applied result = applied(unvalidated, pass(unvalidated, plan));

    assertThat(result.failures()).extracting(ObjectFailure::reason).containsOnly("LocationUnavailable").hasSize(3);
    assertThat(result.failures().get(0).message()).isEqualTo("BackupStorageLocation/velero/default is not Available after PT3M"
        + " (Velero has not validated it: is the velero Deployment running?); the run is created on a later pass");
    assertThat(unvalidated.writes()).noneMatch(w -> w.startsWith("CREATE Backup/"))
        .contains("APPLY Schedule/velero/kurator-member1-backup-default-nightly");
    assertThat(Duration.between(start, clock.instant())).isGreaterThan(ApplyOptions.DEFAULTS.waitTimeout());
    assertThat(polls).isEqualTo((int) (ApplyOptions.DEFAULTS.waitTimeout().toMillis() / ReadinessWaiter.INTERVAL.toMillis()) + 1);
    assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).as("the wait passed on the fake clock, not the wall clock")
        .isLessThan(Duration.ofSeconds(30));
    assertThat(storedInventory(unvalidated).refs()).doesNotContain(SELECT_LABELS);
  }

  @Test
  void aBackupIsCreatedAsSoonAsItsLocationIsAvailable() throws Exception {
    InMemoryMember validatedLater = new InMemoryMember(M1).installVeleroCrds();
    Applier waiting = new Applier(ApplyOptions.DEFAULTS, clock, interval -> {
      if (++polls == 3) {
        validatedLater.put(LOCATION, available(validatedLater.object(LOCATION).orElseThrow()));
      }
      clock.advance(interval);
    }, Fence.NONE);

    ApplyResult result = waiting.apply(validatedLater, pass(validatedLater, plan));

    assertThat(result).isInstanceOfSatisfying(ApplyResult.Applied.class, a -> assertThat(a.failures()).isEmpty());
    assertThat(polls).isEqualTo(3);
    assertThat(validatedLater.object(SELECT_LABELS)).isPresent();
  }

  @Test
  void crdsThatAreNeverEstablishedStopTheLocationsAndTheRuns() throws Exception {
    InMemoryMember withoutCrds = new InMemoryMember(M1);

    ApplyResult.Applied result = applied(withoutCrds, pass(withoutCrds, plan));

    assertThat(result.failures()).extracting(ObjectFailure::toString).containsExactly("BackupStorageLocation/velero/default "
        + "CrdsNotEstablished: CRD backupstoragelocations.velero.io not established after PT3M"
        + " (the Job velero/velero-upgrade-crds installs Velero's CRDs)");
    assertThat(withoutCrds.writes()).contains("APPLY Deployment/velero/velero")
        .noneMatch(w -> w.contains("velero.io") || w.contains("BackupStorageLocation") || w.contains("Schedule") || w.contains("Backup/"));
  }

  private ChangeSet pass(MemberPlan memberPlan) throws Exception {
    return pass(member, memberPlan);
  }

  private ChangeSet pass(InMemoryMember target, MemberPlan memberPlan) throws Exception {
    return MemberDiff.of(target, memberPlan);
  }

  private ApplyResult.Applied applied(ChangeSet changes) throws Exception {
    return applied(member, changes);
  }

  private ApplyResult.Applied applied(InMemoryMember target, ChangeSet changes) throws Exception {
    ApplyResult result = applier.apply(target, changes);
    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    return (ApplyResult.Applied) result;
  }

  private Inventory storedInventory() throws Exception {
    return storedInventory(member);
  }

  private static Inventory storedInventory(InMemoryMember target) throws Exception {
    return Inventory.fromConfigMap(target.object(Inventory.REF).orElseThrow());
  }

  private static ObjectNode available(ObjectNode location) {
    location.withObject("/status").put("phase", "Available");
    return location;
  }

}
