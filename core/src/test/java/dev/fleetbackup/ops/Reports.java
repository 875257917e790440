package dev.fleetbackup.ops;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Status reports as a pass over the sample fleet produces them. */
final class Reports {
  static final Instant FINISHED = Instant.parse("2026-05-01T02:10:00Z");
  static final Instant MEMBER1_DONE = Instant.parse("2026-05-01T02:05:00Z");
  static final Instant MEMBER2_DONE = Instant.parse("2026-05-01T02:06:30Z");
  static final Revision APPLIED = new Revision("main", "4f2c9e1d0b5a7c3e9f1a2b4c6d8e0f1a2b3c4d5e", Instant.parse("2026-04-30T18:00:00Z"));

  private Reports() {}

  /**
   * member1 changed 2 objects, created 1 and pruned 1; member2 is unchanged; member3 is
   * unreachable. The nightly backup completed in member1 and member2; member2's newest run
   * partially failed after it, which must not count; a migration is restoring.
   */
  static StatusReport afterFirstPass() {
    return new StatusReport(FINISHED, Duration.ofMillis(2500), Optional.of(APPLIED), Optional.empty(), Optional.empty(),
        List.of(
            new ClusterState("kurator-member1", "quickstart", true, Optional.empty(), true, Optional.of("v1.18.1"),
                "Available", new ClusterState.ApplySummary(1, 2, 1, 20)),
            new ClusterState("kurator-member2", "quickstart", true, Optional.empty(), true, Optional.of("v1.18.1"),
                "Unavailable", ClusterState.ApplySummary.NONE),
            new ClusterState("kurator-member3", "quickstart", false, Optional.of(new MemberFailure(MemberFailure.Reason.UNREACHABLE, "cannot reach https://10.0.2.7:6443: connection refused")),
                false, Optional.empty(), "Unknown", ClusterState.ApplySummary.NONE)),
        List.of(new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Enabled", List.of(),
            List.of(
                run("kurator-member1", completed("kurator-member1", "kurator-member1-backup-default-nightly-20260501020000", MEMBER1_DONE)),
                run("kurator-member2", completed("kurator-member2", "kurator-member2-backup-default-nightly-20260501020000", MEMBER2_DONE)),
                new ClusterRun("kurator-member3", "backup", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("cluster kurator-member3 to be reachable"))),
            Optional.of("0 2 * * *"), List.of())),
        List.of(),
        List.of(new WorkflowStatus(new ResourceId(Kind.MIGRATE, "default", "shop-to-members"), "RestoreInProgress", List.of(),
            List.of(), Optional.empty(), List.of())));
  }

  /** The next pass: the fetch failed, member3 left the config, member1 pruned one more object. */
  static StatusReport afterSecondPass() {
    StatusReport first = afterFirstPass();
    return new StatusReport(FINISHED.plusSeconds(60), Duration.ofMillis(700), first.applied(), Optional.empty(),
        Optional.of("fetch https://git.example.com/platform/backup-policies.git failed: connection refused"),
        List.of(
            new ClusterState("kurator-member1", "quickstart", true, Optional.empty(), true, Optional.of("v1.18.1"),
                "Available", new ClusterState.ApplySummary(0, 0, 1, 22)),
            first.clusters().get(1)),
        List.of(new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Enabled", List.of(),
            first.backups().get(0).clusters().subList(0, 2), Optional.of("0 2 * * *"), List.of())),
        List.of(), List.of());
  }

  private static ClusterRun run(String cluster, VeleroRun lastCompleted) {
    return new ClusterRun(cluster, "backup", Optional.of(cluster + "-backup-default-nightly"),
        Optional.of(new VeleroRun(cluster, lastCompleted.name() + "-next", VeleroPhase.PARTIALLY_FAILED,
            Optional.of(lastCompleted.completed().orElseThrow().plusSeconds(60)),
            Optional.of(lastCompleted.completed().orElseThrow().plusSeconds(120)),
            Optional.empty(), 10, 9, 1, 0, Optional.empty(), List.of())),
        Optional.of(lastCompleted), Optional.empty());
  }

  private static VeleroRun completed(String cluster, String name, Instant at) {
    return new VeleroRun(cluster, name, VeleroPhase.COMPLETED, Optional.of(at.minusSeconds(40)), Optional.of(at),
        Optional.of(at.plus(Duration.ofDays(7))), 42, 42, 0, 0, Optional.empty(), List.of());
  }
}
