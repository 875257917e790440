package dev.fleetbackup.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Comparator;

/**
 * What one member cluster should hold: the desired objects in apply order, and the objects that
 * should exist but cannot be rendered now ({@link Unrendered}: missing credentials, a restore
 * waiting for its backup run). Unrendered objects are reported and never pruned.
 *
 * @param cluster the AttachedCluster's name, which is also its name in Velero object names
 * @param namespace the AttachedCluster's namespace in the config repo
 * @param fleet the name of the fleet that installs Velero on it, if any
 */
public record MemberPlan(String cluster, String namespace, Optional<String> fleet, List<DesiredObject> objects,
    List<Unrendered> unrendered) {

  public MemberPlan {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    fleet = fleet == null ? Optional.empty() : fleet;
    objects = objects.stream().sorted(Comparator.comparing(DesiredObject::ref)).toList();
    unrendered = List.copyOf(unrendered);
    Set<ObjectRef> seen = new HashSet<>();
    for (DesiredObject o : objects) {
      if (!seen.add(o.ref())) {
        throw new IllegalArgumentException(cluster + ": " + o.ref() + " is desired twice");
      }
    }
  }

  public Optional<DesiredObject> object(ObjectRef ref) {
    return objects.stream().filter(o -> o.ref().equals(ref)).findFirst();
  }

  public List<ObjectRef> refs() {
    return objects.stream().map(DesiredObject::ref).toList();
  }

  MemberPlan with(List<DesiredObject> newObjects, List<Unrendered> newUnrendered) {
    return new MemberPlan(cluster, namespace, fleet, newObjects, newUnrendered);
  }
}
