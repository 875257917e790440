package dev.fleetbackup.plan;

import dev.fleetbackup.model.PolicySet;

/** What the sample config repo plans for one member, with the sample storage credentials: input for the diff and apply tests. */
public final class SamplePlan {
  private static final PolicySet POLICIES = Fixtures.policies(Fixtures.SAMPLE_REPO);

  private SamplePlan() {}

  /** {@code kurator-member1}: the Velero install, a schedule, three Backup runs and a Restore that waits for one. */
  public static MemberPlan member(String cluster) {
    return new Planner(PlanSettings.DEFAULTS).plan(POLICIES, Fixtures.credentials(POLICIES)).member(cluster).orElseThrow();
  }

  /** {@code plan} without the objects {@code drop} names (as if their policy left the config repo). */
  public static MemberPlan without(MemberPlan plan, ObjectRef... drop) {
    java.util.Set<ObjectRef> gone = java.util.Set.of(drop);
    return plan.with(plan.objects().stream().filter(o -> !gone.contains(o.ref())).toList(), plan.unrendered());
  }
}
