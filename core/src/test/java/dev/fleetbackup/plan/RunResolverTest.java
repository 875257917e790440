package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.VeleroPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResolverTest {
  private static final PolicySet SAMPLE = Fixtures.policies(Fixtures.SAMPLE_REPO);
  private static final String BACKUP = "kurator-member1-backup-default-shop-pre-upgrade";
  private static final String RESTORE = "kurator-member1-restore-default-shop-rollback";
  private final RunResolver resolver = new RunResolver();
  private final MemberPlan m1 = new Planner(PlanSettings.DEFAULTS).plan(SAMPLE, Fixtures.credentials(SAMPLE))
      .member("kurator-member1").orElseThrow();

  private String hash(String base) {
    return m1.objects().stream().filter(o -> o.run().map(r -> r.base().equals(base)).orElse(false))
        .findFirst().orElseThrow().run().orElseThrow().specHash();
  }

  @Test
  void firstPassCreatesEveryRunAndTheRestoreWaitsForItsBackup() {
    ResolvedPlan resolved = resolver.resolve(m1, List.of());
    assertThat(resolved.runState(new ObjectRef(ManagedKind.BACKUP, "velero", BACKUP))).contains(RunState.NEW);
    assertThat(resolved.plan().refs()).extracting(ObjectRef::name).doesNotContain(RESTORE);
    assertThat(resolved.plan().unrendered()).anySatisfy(u -> {
      assertThat(u.ref().name()).isEqualTo(RESTORE);
      assertThat(u.reason()).isEqualTo(Unrendered.Reason.WAITING_FOR_BACKUP);
    });
  }

  @Test
  void sameSpecIsTheCurrentRunAndAChangedSpecIsANewNumberedRun() {
    PastRun same = new PastRun(ManagedKind.BACKUP, BACKUP, BACKUP, 1, hash(BACKUP), true, VeleroPhase.IN_PROGRESS);
    assertThat(resolver.resolve(m1, List.of(same)).runState(new ObjectRef(ManagedKind.BACKUP, "velero", BACKUP)))
        .contains(RunState.CURRENT);

    PastRun older = new PastRun(ManagedKind.BACKUP, BACKUP, BACKUP, 1, "0000000000000000", true, VeleroPhase.COMPLETED);
    ResolvedPlan resolved = resolver.resolve(m1, List.of(older));
    ObjectRef second = new ObjectRef(ManagedKind.BACKUP, "velero", BACKUP + "-2");
    assertThat(resolved.runState(second)).contains(RunState.NEW);
    DesiredObject run2 = resolved.plan().object(second).orElseThrow();
    assertThat(run2.manifest().path("metadata").path("annotations").path(Conventions.RUN_NUMBER).asString()).isEqualTo("2");
    assertThat(run2.manifest().path("metadata").path("annotations").path(Conventions.RUN).asString()).isEqualTo(BACKUP);
  }

  @Test
  void aRunTheInventoryRemembersButTheClusterLostIsNotRecreated() {
    PastRun gone = new PastRun(ManagedKind.BACKUP, BACKUP, BACKUP, 1, hash(BACKUP), false, VeleroPhase.UNKNOWN);
    assertThat(resolver.resolve(m1, List.of(gone)).runState(new ObjectRef(ManagedKind.BACKUP, "velero", BACKUP)))
        .contains(RunState.GONE);
  }

  @Test
  void restoreTargetsTheCompletedCurrentBackupRunAndRunsOnce() {
    PastRun completed = new PastRun(ManagedKind.BACKUP, BACKUP + "-2", BACKUP, 2, hash(BACKUP), true, VeleroPhase.COMPLETED);
    ResolvedPlan resolved = resolver.resolve(m1, List.of(completed));
    ObjectRef restore = new ObjectRef(ManagedKind.RESTORE, "velero", RESTORE);
    assertThat(resolved.runState(restore)).contains(RunState.NEW);
    assertThat(resolved.plan().object(restore).orElseThrow().manifest().path("spec").path("backupName").asString())
        .isEqualTo(BACKUP + "-2");

    PastRun ranBefore = new PastRun(ManagedKind.RESTORE, RESTORE, RESTORE, 1, "ffffffffffffffff", true, VeleroPhase.COMPLETED);
    assertThat(resolver.resolve(m1, List.of(completed, ranBefore)).runState(restore)).contains(RunState.NOT_REPEATED);
  }
}
