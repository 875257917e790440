package dev.fleetbackup.observe;

import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.plan.DesiredObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What every member held when it was read, or why it could not be read. A member missing from
 * both maps was not read at all.
 */
public record FleetObservation(Map<String, MemberObservation> members, Map<String, MemberFailure> failures) {
  public static final FleetObservation NONE = new FleetObservation(Map.of(), Map.of());

  public FleetObservation {
    members = Map.copyOf(members);
    failures = Map.copyOf(new TreeMap<>(failures));
  }

  public Optional<MemberObservation> member(String cluster) {
    return Optional.ofNullable(members.get(cluster));
  }

  /** Why the member could not be read: {@code UNREACHABLE, cannot reach https://…: connection refused}. */
  public Optional<MemberFailure> failure(String cluster) {
    return Optional.ofNullable(failures.get(cluster));
  }

  /** This observation with the runs created since in each member ({@link MemberObservation#withCreated}). */
  public FleetObservation withCreated(Map<String, List<DesiredObject>> created) {
    Map<String, MemberObservation> after = new HashMap<>(members);
    created.forEach((cluster, runs) -> after.computeIfPresent(cluster, (c, m) -> m.withCreated(runs)));
    return new FleetObservation(after, failures);
  }

  /** Words for a member that was not read, for a wait or a problem. */
  public String unread(String cluster) {
    return failure(cluster).map(f -> cluster + " could not be read (" + f.message() + ")").orElse(cluster + " was not read");
  }
}
