package dev.fleetbackup.plan;

import dev.fleetbackup.model.VeleroPhase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives each run of a member plan its final name from the runs that already exist. Pure.
 *
 * <ul>
 *   <li>A Backup or Job run is compared with the latest run of the same base: the same spec hash
 *       means that run is current (or gone, if it was removed); a different hash, or no run yet,
 *       means a new run numbered one past the highest: {@code base}, {@code base-2}, ...
 *   <li>A Restore runs once: once any run exists it is kept, even for a changed policy. Before its
 *       first run it waits until the current run of the backup it restores has completed; then its
 *       {@code spec.backupName} names that run.
 * </ul>
 */
public final class RunResolver {

  public ResolvedPlan resolve(MemberPlan plan, List<PastRun> history) {
    Map<ObjectRef, RunState> states = new HashMap<>();
    Map<String, Resolved> backups = new HashMap<>();
    List<DesiredObject> objects = new ArrayList<>();
    List<Unrendered> unrendered = new ArrayList<>(plan.unrendered());
    // Backups and Jobs first (restores depend on backups); apply order is restored by MemberPlan.
    for (DesiredObject o : plan.objects()) {
      if (!o.isRun()) {
        objects.add(o);
      } else if (o.run().orElseThrow().afterBackup().isEmpty()) {
        Resolved r = numbered(o, history);
        states.put(r.object.ref(), r.state);
        objects.add(r.object);
        if (o.ref().kind() == ManagedKind.BACKUP) {
          backups.put(o.run().orElseThrow().base(), r);
        }
      }
    }
    for (DesiredObject o : plan.objects()) {
      if (o.isRun() && o.run().orElseThrow().afterBackup().isPresent()) {
        Run run = o.run().orElseThrow();
        Optional<PastRun> latest = latest(history, o.ref().kind(), run.base());
        if (latest.isPresent()) {
          PastRun past = latest.get();
          RunState state = !past.specHash().equals(run.specHash()) ? RunState.NOT_REPEATED
              : past.present() ? RunState.CURRENT : RunState.GONE;
          DesiredObject renamed = numbered(o, past.number(), Optional.empty());
          states.put(renamed.ref(), state);
          objects.add(renamed);
          continue;
        }
        Resolved backup = backups.get(run.afterBackup().orElseThrow());
        Optional<String> waiting = waitingFor(backup, history);
        if (waiting.isPresent()) {
          unrendered.add(new Unrendered(o.ref(), Unrendered.Reason.WAITING_FOR_BACKUP, waiting.get()));
          continue;
        }
        DesiredObject created = numbered(o, 1, Optional.of(backup.object.ref().name()));
        states.put(created.ref(), RunState.NEW);
        objects.add(created);
      }
    }
    return new ResolvedPlan(plan.with(objects, unrendered), states);
  }

  private record Resolved(DesiredObject object, RunState state) {}

  private static Optional<String> waitingFor(Resolved backup, List<PastRun> history) {
    if (backup == null) {
      return Optional.of("the backup it restores is not planned in this cluster");
    }
    String name = backup.object.ref().name();
    if (backup.state == RunState.NEW) {
      return Optional.of("waits for backup run " + name + " to be created and complete");
    }
    if (backup.state == RunState.GONE) {
      return Optional.of("backup run " + name + " no longer exists");
    }
    VeleroPhase phase = history.stream()
        .filter(p -> p.kind() == ManagedKind.BACKUP && p.name().equals(name))
        .map(PastRun::phase).findFirst().orElse(VeleroPhase.UNKNOWN);
    return phase == VeleroPhase.COMPLETED || phase == VeleroPhase.PARTIALLY_FAILED ? Optional.empty()
        : Optional.of("waits for backup run " + name + " to complete (phase " + (phase == VeleroPhase.UNKNOWN ? "unknown" : phase.text()) + ")");
  }

  private static Resolved numbered(DesiredObject o, List<PastRun> history) {
    Run run = o.run().orElseThrow();
    Optional<PastRun> latest = latest(history, o.ref().kind(), run.base());
    if (latest.isPresent() && latest.get().specHash().equals(run.specHash())) {
      return new Resolved(numbered(o, latest.get().number(), Optional.empty()),
          latest.get().present() ? RunState.CURRENT : RunState.GONE);
    }
    int next = latest.map(p -> p.number() + 1).orElse(1);
    return new Resolved(numbered(o, next, Optional.empty()), RunState.NEW);
  }

  private static Optional<PastRun> latest(List<PastRun> history, ManagedKind kind, String base) {
    return history.stream()
        .filter(p -> p.kind() == kind && p.base().equals(base))
        .max(Comparator.comparingInt(PastRun::number));
  }

  private static DesiredObject numbered(DesiredObject o, int number, Optional<String> backupName) {
    Run run = o.run().orElseThrow();
    String name = run.nameOf(number);
    ObjectNode manifest = o.manifest();
    ObjectNode metadata = (ObjectNode) manifest.get("metadata");
    metadata.put("name", name);
    metadata.withObject("/annotations").put(Conventions.RUN, run.base());
    metadata.withObject("/annotations").put(Conventions.RUN_NUMBER, Integer.toString(number));
    DesiredObject renamed = new DesiredObject(o.ref().withName(name), manifest, o.run());
    return backupName.map(b -> VeleroRuns.withBackupName(renamed, b)).orElse(renamed);
  }
}
