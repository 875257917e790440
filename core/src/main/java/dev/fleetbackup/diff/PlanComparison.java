package dev.fleetbackup.diff;

import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a change of the config repo changes in what each member should hold, from two offline plans
 * alone ({@code diff --offline}): no member is read, so it says what the policies ask for, not what
 * an apply would do to the live objects. Secret values are masked, though offline plans hold none.
 */
public final class PlanComparison {
  private PlanComparison() {}

  /** One member's changes, in the order of the plan after the change, then what only the plan before holds. */
  public record MemberChanges(String cluster, List<Change> changes) {
    public MemberChanges {
      changes = List.copyOf(changes);
    }
  }

  public static List<MemberChanges> compare(FleetPlan before, FleetPlan after) {
    Map<String, MemberPlan> beforeMembers = byCluster(before);
    Map<String, MemberPlan> afterMembers = byCluster(after);
    Set<String> clusters = new LinkedHashSet<>(afterMembers.keySet());
    clusters.addAll(beforeMembers.keySet());
    List<MemberChanges> out = new ArrayList<>();
    for (String cluster : clusters) {
      out.add(new MemberChanges(cluster, compare(objects(beforeMembers.get(cluster)), objects(afterMembers.get(cluster)))));
    }
    return out;
  }

  private static List<Change> compare(Map<ObjectRef, DesiredObject> before, Map<ObjectRef, DesiredObject> after) {
    List<Change> changes = new ArrayList<>();
    after.forEach((ref, object) -> {
      DesiredObject old = before.get(ref);
      if (old == null) {
        changes.add(shown(ref, Action.CREATED, "", null, object.manifest(), Optional.of(object)));
      } else if (old.manifest().equals(object.manifest())) {
        changes.add(Change.of(ref, Action.UNCHANGED, ""));
      } else {
        changes.add(shown(ref, Action.CONFIGURED, object.isRun() ? "its spec changed: a new run is made" : "",
            old.manifest(), object.manifest(), Optional.of(object)));
      }
    });
    before.forEach((ref, old) -> {
      if (!after.containsKey(ref)) {
        changes.add(shown(ref, Action.DELETED, old.isRun() || ref.kind().prune() == ManagedKind.Prune.KEEP
            ? "no longer desired; kept in the member" : "no longer desired; pruned if fleet-backup applied it",
            old.manifest(), null, Optional.empty()));
      }
    });
    return changes;
  }

  /** The manifests are the plans': copied before a Secret's values are masked. */
  private static Change shown(ObjectRef ref, Action action, String note, JsonNode before, JsonNode after, Optional<DesiredObject> desired) {
    return Change.shown(ref, action, note, before == null ? null : before.deepCopy(), after == null ? null : after.deepCopy(), desired);
  }

  private static Map<String, MemberPlan> byCluster(FleetPlan plan) {
    Map<String, MemberPlan> members = new LinkedHashMap<>();
    plan.members().forEach(m -> members.put(m.cluster(), m));
    return members;
  }

  private static Map<ObjectRef, DesiredObject> objects(MemberPlan member) {
    Map<ObjectRef, DesiredObject> objects = new LinkedHashMap<>();
    if (member != null) {
      member.objects().forEach(o -> objects.put(o.ref(), o));
    }
    return objects;
  }
}
