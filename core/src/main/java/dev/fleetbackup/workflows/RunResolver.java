package dev.fleetbackup.workflows;

import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PastRun;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.RestoreOf;
import dev.fleetbackup.plan.Run;
import dev.fleetbackup.plan.RunState;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.plan.WorkflowRuns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every run of the plan its final name, once, from the one observation of the fleet; the
 * Differ and the Applier take the names as they are. Pure: a restarted reconciler decides the same.
 *
 * <ul>
 *   <li>A Backup or Job run is compared with the latest run of the same base (in the member, or
 *       remembered by its inventory): the same spec hash means that run is current (or gone, if it
 *       was removed); a different hash, or no run yet, means a new run numbered one past the
 *       highest: {@code base}, {@code base-2}, ...
 *   <li>A Restore runs once: once any run of it exists, or existed, it is kept, even for a changed
 *       policy. Before that, the workflow step ({@link Steps}, which the status reads too) says
 *       whether the backup run it restores is there: then it is created, its {@code spec.backupName}
 *       naming that run; else it is reported with what it waits for.
 * </ul>
 */
public final class RunResolver {

  /** Each member's plan with its runs' final names, by cluster. */
  public Map<String, ResolvedPlan> resolve(FleetPlan plan, FleetObservation observed) {
    Map<String, ResolvedPlan> resolved = new LinkedHashMap<>();
    for (MemberPlan member : plan.members()) {
      resolved.put(member.cluster(), resolve(plan, member, observed));
    }
    return resolved;
  }

  private ResolvedPlan resolve(FleetPlan plan, MemberPlan member, FleetObservation observed) {
    List<PastRun> history = observed.member(member.cluster()).map(MemberObservation::history).orElse(List.of());
    Map<ObjectRef, RunState> states = new HashMap<>();
    List<DesiredObject> objects = new ArrayList<>();
    List<Unrendered> unrendered = new ArrayList<>(member.unrendered());
    for (DesiredObject o : member.objects()) {
      if (!o.isRun()) {
        objects.add(o);
        continue;
      }
      Run run = o.run().orElseThrow();
      Optional<PastRun> latest = latest(history, o.ref().kind(), run.base());
      if (run.restores().isEmpty()) {
        boolean same = latest.isPresent() && latest.get().specHash().equals(run.specHash());
        DesiredObject numbered = o.numbered(same ? latest.get().number() : latest.map(p -> p.number() + 1).orElse(1), Optional.empty());
        states.put(numbered.ref(), !same ? RunState.NEW : latest.get().present() ? RunState.CURRENT : RunState.GONE);
        objects.add(numbered);
      } else if (latest.isPresent()) {
        PastRun past = latest.get();
        DesiredObject kept = o.numbered(past.number(), Optional.empty());
        states.put(kept.ref(), !past.specHash().equals(run.specHash()) ? RunState.NOT_REPEATED
            : past.present() ? RunState.CURRENT : RunState.GONE);
        objects.add(kept);
      } else {
        Step step = step(plan, member, run.restores().get(), observed);
        if (step instanceof Step.Ready ready) {
          DesiredObject created = o.numbered(1, Optional.of(ready.backupName()));
          states.put(created.ref(), RunState.NEW);
          objects.add(created);
        } else if (step instanceof Step.Done done) {
          DesiredObject kept = o.numbered(done.run().runNumber(), Optional.empty());
          states.put(kept.ref(), RunState.CURRENT);
          objects.add(kept);
        } else if (step instanceof Step.Waiting waiting) {
          unrendered.add(new Unrendered(o.ref(), Unrendered.Reason.WAITING_FOR_BACKUP, "waits for " + waiting.waitingFor()));
        } else if (step instanceof Step.Blocked blocked) {
          unrendered.add(new Unrendered(o.ref(), Unrendered.Reason.WAITING_FOR_BACKUP,
              "cannot run: " + blocked.reason() + "; not retried, a changed policy in Git makes a new run"));
        }
      }
    }
    return new ResolvedPlan(new MemberPlan(member.cluster(), member.namespace(), member.fleet(), objects, unrendered), states);
  }

  private static Step step(FleetPlan plan, MemberPlan member, RestoreOf restores, FleetObservation observed) {
    String cluster = member.cluster();
    if (restores instanceof RestoreOf.FromMigration m) {
      return Steps.migrationTarget(observed, cluster, m.migrate(), m.source(),
          plan.member(m.source()).flatMap(source -> plannedHash(source, WorkflowRuns.migrationRunBase(m.source(), m.migrate()))));
    }
    RestoreOf.FromBackup b = (RestoreOf.FromBackup) restores;
    return b.backup().isScheduled()
        ? Steps.scheduledRestore(observed, cluster, b.restore(), b.backup())
        : Steps.immediateRestore(observed, cluster, b.restore(), b.backup(),
            plannedHash(member, WorkflowRuns.backupRunBase(cluster, b.backup())));
  }

  /** The spec hash of the Backup run under {@code base} the plan wants in {@code member}, so that an older run is not restored. */
  private static Optional<String> plannedHash(MemberPlan member, String base) {
    return member.objects().stream().flatMap(o -> o.run().stream())
        .filter(r -> r.base().equals(base) && r.restores().isEmpty())
        .map(Run::specHash)
        .findFirst();
  }

  private static Optional<PastRun> latest(List<PastRun> history, ManagedKind kind, String base) {
    return history.stream()
        .filter(p -> p.kind() == kind && p.base().equals(base))
        .max(Comparator.comparingInt(PastRun::number));
  }
}
