package dev.fleetbackup.diff;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.Observer;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.workflows.RunResolver;
import java.util.List;
import java.util.Map;

/** For tests: one member's diff as a pass makes it, observed once, its runs resolved, then diffed. */
public final class MemberDiff {
  private MemberDiff() {}

  public static ChangeSet of(MemberConnection member, MemberPlan plan) throws MemberException, Inventory.InventoryException {
    MemberObservation observed = new Observer("velero").observe(member, plan.objects());
    ResolvedPlan resolved = new RunResolver()
        .resolve(new FleetPlan(List.of(plan)), new FleetObservation(Map.of(plan.cluster(), observed), Map.of()))
        .get(plan.cluster());
    return new Differ().diff(member, resolved, observed, Ownership.OURS_ONLY);
  }
}
