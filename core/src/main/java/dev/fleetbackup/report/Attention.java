package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One row of "Needs attention": what (a commit, a cluster, a Backup), where (a file position or a
 * cluster), since when, and why in the words of whoever found the problem.
 *
 * @param where a cluster name, a {@code file:line:col}, or empty when the problem is not in one place
 * @param location the file position {@code where} names, when it names one
 */
record Attention(Subject what, String where, Optional<SourceLocation> location, Optional<Instant> since, String why) {

  /**
   * {@code commit `9a7d003` rejected}, {@code Backup `default/nightly`}, {@code cluster unreachable}:
   * a lead word, a name as the user typed it (may be empty), a trailing word (may be empty), and the
   * per-object file, when there is one.
   */
  record Subject(String lead, String name, String tail, Optional<String> file) {
    String plain() {
      StringBuilder text = new StringBuilder(lead);
      if (!name.isEmpty()) {
        text.append(' ').append(name);
      }
      if (!tail.isEmpty()) {
        text.append(' ').append(tail);
      }
      return text.toString();
    }
  }

  /** Everything that needs a person, in this order: the source, the clusters, then every workflow. */
  static List<Attention> of(StatusReport report) {
    List<Attention> rows = new ArrayList<>();
    report.rejected().ifPresent(rejection -> {
      Subject what = new Subject("commit", rejection.revision().shortSha(), "rejected", Optional.empty());
      Optional<Instant> since = Optional.ofNullable(rejection.revision().committedAt());
      if (rejection.errors().isEmpty()) {
        rows.add(new Attention(what, "", Optional.empty(), since, "no details were recorded"));
      }
      for (Diagnostic error : rejection.errors()) {
        String why = error.isError() ? error.message() : error.severity().label() + ": " + error.message();
        rows.add(new Attention(what, error.location().toString(), Optional.of(error.location()), since, why));
      }
      if (rejection.omitted() > 0) {
        String more = Text.count(rejection.omitted(), "more error", "more errors");
        rows.add(new Attention(what, "", Optional.empty(), since, "… and " + more + ", not listed"));
      }
    });
    report.sourceProblem().ifPresent(problem -> rows.add(new Attention(
        new Subject("fetching the config repo failed", "", "", Optional.empty()), "", Optional.empty(), Optional.empty(),
        problem)));
    for (ClusterState cluster : report.clusters()) {
      rows.addAll(of(cluster));
    }
    for (WorkflowStatus backup : report.backups()) {
      rows.addAll(of(Kind.BACKUP, backup));
    }
    for (WorkflowStatus restore : report.restores()) {
      rows.addAll(of(Kind.RESTORE, restore));
    }
    for (WorkflowStatus migration : report.migrations()) {
      rows.addAll(of(Kind.MIGRATE, migration));
    }
    return List.copyOf(rows);
  }

  private static List<Attention> of(ClusterState cluster) {
    List<Attention> rows = new ArrayList<>();
    if (!cluster.reachable()) {
      rows.add(clusterRow("cluster unreachable", cluster, cluster.failure().map(MemberFailure::message).orElse("no answer")));
      return rows;
    }
    cluster.failure().ifPresent(failure -> rows.add(clusterRow("cluster pass failed", cluster, failure.message())));
    for (ClusterState.Warning warning : cluster.warnings()) {
      rows.add(new Attention(new Subject(warning.what(), "", "", Optional.empty()), cluster.cluster(), Optional.empty(), warning.since(),
          warning.message()));
    }
    if (!cluster.veleroReady()) {
      rows.add(clusterRow("Velero not ready", cluster,
          "the Velero deployment" + cluster.veleroVersion().map(v -> " " + v).orElse("") + " is not ready"));
    }
    String location = String.valueOf(cluster.backupLocationPhase());
    if (!cluster.backupLocationAvailable()) {
      rows.add(clusterRow("backup location " + location, cluster,
          "BackupStorageLocation default is " + location + ": Velero can neither write nor read backups"));
    }
    return rows;
  }

  private static Attention clusterRow(String what, ClusterState cluster, String why) {
    return new Attention(new Subject(what, "", "", Optional.empty()), cluster.cluster(), Optional.empty(), Optional.empty(), why);
  }

  /**
   * A workflow's rows: its problems (a problem that starts with {@code "<cluster>: "} is shown under
   * that cluster), each cluster's failed current run and each wait that needs a person, and when
   * the workflow failed or stalled without saying why, its condition's message. Equal rows once.
   */
  static List<Attention> of(Kind kind, WorkflowStatus workflow) {
    Subject what = new Subject(kind.kind(), workflow.id().qualifiedName(), "",
        Optional.of(ObjectFiles.path(kind, workflow.id())));
    Optional<Instant> since = Runs.troubleSince(workflow);
    Set<Attention> rows = new LinkedHashSet<>();
    for (String problem : workflow.problems()) {
      String where = "";
      String why = problem;
      for (ClusterRun run : workflow.clusters()) {
        if (problem.startsWith(run.cluster() + ": ")) {
          where = run.cluster();
          why = problem.substring(run.cluster().length() + 2);
          break;
        }
      }
      rows.add(new Attention(what, where, Optional.empty(), since, why));
    }
    for (ClusterRun run : workflow.clusters()) {
      Optional<VeleroRun> failed = run.current().filter(current -> current.phase().isFailure());
      if (failed.isPresent()) {
        rows.add(new Attention(what, run.cluster(), Optional.empty(), Runs.end(failed.get()), Runs.problem(failed.get())));
      } else if (Runs.waitNeedsAttention(workflow, run)) {
        rows.add(new Attention(what, run.cluster(), Optional.empty(), since, "waiting for " + run.waitingFor().get()));
      }
    }
    if (workflow.problems().isEmpty() && (Runs.failed(workflow) || Runs.stalled(workflow))) {
      Optional<Condition> condition = Runs.condition(workflow, Condition.STALLED)
          .filter(c -> c.status() == Condition.Status.True)
          .or(() -> Runs.condition(workflow, Condition.READY).filter(c -> c.status() == Condition.Status.False));
      String why = condition.map(Attention::describe).orElse("phase " + workflow.phase());
      rows.add(new Attention(what, "", Optional.empty(), since, why));
    }
    return List.copyOf(rows);
  }

  private static String describe(Condition condition) {
    String message = condition.message() == null ? "" : condition.message();
    String reason = condition.reason() == null ? "" : condition.reason();
    if (message.isEmpty()) {
      return reason.isEmpty() ? condition.type() + "=" + condition.status() : reason;
    }
    return reason.isEmpty() ? message : reason + ": " + message;
  }
}
