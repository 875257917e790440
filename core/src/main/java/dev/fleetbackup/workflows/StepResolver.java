package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.plan.WorkflowRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workflow stage of a pass: between planning and diffing, it turns the runs the Planner left
 * to a workflow (a restore of a scheduled backup, a migration's restores) into what the clusters
 * are ready for. A run that exists is kept as it is; a run whose time has come is added to the
 * member's plan (the Applier creates it once, under its deterministic name); the others are
 * reported with what they wait for. Pure: everything is decided from the policies and what the
 * members held when they were observed, so a restarted reconciler decides the same.
 */
public final class StepResolver {
  private final WorkflowRuns runs;

  public StepResolver(WorkflowRuns runs) {
    this.runs = runs;
  }

  public FleetPlan resolve(PolicySet policies, FleetPlan plan, FleetObservation observed) {
    List<MemberPlan> members = new ArrayList<>();
    for (MemberPlan member : plan.members()) {
      members.add(resolve(policies, plan, member, observed));
    }
    return new FleetPlan(members);
  }

  private MemberPlan resolve(PolicySet policies, FleetPlan plan, MemberPlan member, FleetObservation observed) {
    List<DesiredObject> objects = new ArrayList<>(member.objects());
    List<Unrendered> unrendered = new ArrayList<>();
    for (Unrendered u : member.unrendered()) {
      if (u.reason() != Unrendered.Reason.WORKFLOW || u.ref().kind() != ManagedKind.RESTORE || member.fleet().isEmpty()) {
        unrendered.add(u);
        continue;
      }
      String cluster = member.cluster();
      String fleet = member.fleet().get();
      Optional<Restore> restore = policies.restores().stream().filter(r -> runs.restoreRef(cluster, r).equals(u.ref())).findFirst();
      Optional<Migrate> migrate = policies.migrates().stream().filter(m -> runs.migrationRestoreRef(cluster, m).equals(u.ref())).findFirst();
      if (restore.isPresent()) {
        Optional<Backup> backup = policies.backup(restore.get().metadata().namespace(), restore.get().spec().backupName());
        if (backup.isEmpty()) {
          unrendered.add(u);
          continue;
        }
        Step step = Steps.scheduledRestore(observed, cluster, restore.get(), backup.get());
        apply(step, u.ref(), () -> runs.scheduledRestore(cluster, fleet, restore.get(), backup.get(), backupName(step)),
            objects, unrendered);
      } else if (migrate.isPresent()) {
        List<String> sources = policies.clustersOf(migrate.get().spec().sourceCluster(), migrate.get().metadata().namespace());
        if (sources.size() != 1) {
          unrendered.add(u);
          continue;
        }
        String source = sources.get(0);
        Step step = Steps.migrationTarget(observed, cluster, migrate.get(), source, plannedHash(plan, source, migrate.get()));
        apply(step, u.ref(), () -> runs.migrationRestore(cluster, fleet, migrate.get(), source, backupName(step)),
            objects, unrendered);
      } else {
        unrendered.add(u);
      }
    }
    return new MemberPlan(member.cluster(), member.namespace(), member.fleet(), objects, unrendered);
  }

  private static void apply(Step step, ObjectRef planned, java.util.function.Supplier<DesiredObject> render,
      List<DesiredObject> objects, List<Unrendered> unrendered) {
    if (step instanceof Step.Ready) {
      objects.add(render.get());
    } else if (step instanceof Step.Done done) {
      unrendered.add(new Unrendered(planned.withName(done.run().name()), Unrendered.Reason.WORKFLOW,
          "restore ran as " + done.run().name() + " (" + done.run().run().phaseText() + "); a restore runs once"));
    } else if (step instanceof Step.Waiting waiting) {
      unrendered.add(new Unrendered(planned, Unrendered.Reason.WAITING_FOR_BACKUP, "waits for " + waiting.waitingFor()));
    } else if (step instanceof Step.Blocked blocked) {
      unrendered.add(new Unrendered(planned, Unrendered.Reason.WAITING_FOR_BACKUP,
          "cannot run: " + blocked.reason() + "; not retried, a changed policy in Git makes a new run"));
    }
  }

  private static String backupName(Step step) {
    return ((Step.Ready) step).backupName();
  }

  /** The spec hash of the migration Backup the plan wants in the source, so that an older run is not restored. */
  private static Optional<String> plannedHash(FleetPlan plan, String source, Migrate migrate) {
    String base = WorkflowRuns.migrationRunBase(source, migrate);
    return plan.member(source).stream()
        .flatMap(m -> m.objects().stream())
        .flatMap(o -> o.run().stream())
        .filter(r -> r.base().equals(base))
        .map(dev.fleetbackup.plan.Run::specHash)
        .findFirst();
  }
}
