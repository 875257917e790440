package dev.fleetbackup.plan;

import java.util.Map;
import java.util.Optional;

/** A member plan whose runs have their final names, with what was decided for each run. */
public record ResolvedPlan(MemberPlan plan, Map<ObjectRef, RunState> runs) {
  public ResolvedPlan {
    runs = Map.copyOf(runs);
  }

  public Optional<RunState> runState(ObjectRef ref) {
    return Optional.ofNullable(runs.get(ref));
  }
}
