package dev.fleetbackup.notify;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reports of passes over a two-member fleet, in the states notifications tell of. */
final class Reports {
  static final Instant AT = Instant.parse("2026-05-01T02:10:00Z");
  static final Revision GOOD = new Revision("main", "4f2c9e1d0b5a7c3e9f1a2b4c6d8e0f1a2b3c4d5e", AT.minusSeconds(3600));
  static final Revision BAD = new Revision("main", "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", AT.minusSeconds(60));
  static final Revision NEXT = new Revision("main", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", AT);
  /** What a config repo can make an error say: markup of every format, a line break, a bidi override. */
  static final String HOSTILE = "schedule \"<!channel> & *now* <https://evil.example|click>\"\n::warning::x \u202e";

  private Reports() {}

  static StatusReport healthy(Revision applied) {
    return report(applied, Optional.empty(), List.of(cluster("kurator-member1", Optional.empty()), cluster("kurator-member2",
        Optional.empty())), backup("Enabled", VeleroPhase.COMPLETED));
  }

  static StatusReport rejected(Revision head) {
    StatusReport good = healthy(GOOD);
    return report(GOOD, Optional.of(new StatusReport.Rejection(head, List.of(
            Diagnostic.error(new SourceLocation("backups/nightly.yaml", 9, 13), HOSTILE),
            Diagnostic.error(new SourceLocation("backups/weekly.yaml", 3, 1), "missing field \"spec\"")))),
        good.clusters(), good.backups().get(0));
  }

  /** The nightly schedule's last run failed in kurator-member2 (the schedule goes on: phase Enabled). */
  static StatusReport lastRunFailed() {
    return report(GOOD, Optional.empty(), healthy(GOOD).clusters(), backup("Enabled", VeleroPhase.PARTIALLY_FAILED));
  }

  /** kurator-member2 did not answer, or refused what was applied. */
  static StatusReport memberFailed(MemberFailure.Reason reason) {
    return report(GOOD, Optional.empty(), List.of(cluster("kurator-member1", Optional.empty()),
        cluster("kurator-member2", Optional.of(new MemberFailure(reason, "cannot reach https://10.0.0.2:6443")))),
        backup("Enabled", VeleroPhase.COMPLETED));
  }

  private static StatusReport report(Revision applied, Optional<StatusReport.Rejection> rejection, List<ClusterState> clusters,
      WorkflowStatus backup) {
    return new StatusReport(AT, Duration.ofSeconds(2), Optional.of(applied), rejection, Optional.empty(), clusters,
        List.of(backup), List.of(), List.of());
  }

  private static ClusterState cluster(String name, Optional<MemberFailure> failure) {
    return new ClusterState(name, "default/quickstart", failure.isEmpty(), failure, true, Optional.of("v1.18.1"), "Available",
        ClusterState.ApplySummary.NONE);
  }

  private static WorkflowStatus backup(String phase, VeleroPhase member2Run) {
    return new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), phase, List.of(), List.of(
        run("kurator-member1", VeleroPhase.COMPLETED), run("kurator-member2", member2Run)), Optional.of("0 2 * * *"), List.of());
  }

  private static ClusterRun run(String cluster, VeleroPhase phase) {
    VeleroRun run = new VeleroRun(cluster, cluster + "-nightly-20260501020000", phase, Optional.of(AT.minusSeconds(600)),
        Optional.of(AT.minusSeconds(500)), Optional.empty(), 10, 10, phase == VeleroPhase.COMPLETED ? 0 : 2, 0,
        phase == VeleroPhase.COMPLETED ? Optional.empty() : Optional.of("2 items failed: <pvc> & more"), List.of());
    return new ClusterRun(cluster, "backup", Optional.of(cluster + "-nightly"), Optional.of(run),
        Optional.of(run).filter(r -> r.phase() == VeleroPhase.COMPLETED), Optional.empty());
  }
}
