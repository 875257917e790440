package dev.fleetbackup.pipeline;

import java.util.List;
import java.util.Set;

/**
 * A replica's part of the status branch under sharding: of the members its pass went over, in the
 * order the fleets list them, the ones it reports, because it took them and holds them still.
 */
public record StatusPart(List<String> members, Set<String> ours) {
  public StatusPart {
    members = List.copyOf(members);
    ours = Set.copyOf(ours);
  }
}
