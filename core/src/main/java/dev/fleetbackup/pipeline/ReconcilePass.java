package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.ClusterRef;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.workflows.FleetObservation;
import dev.fleetbackup.workflows.MemberObservation;
import dev.fleetbackup.workflows.StatusBuilder;
import dev.fleetbackup.workflows.WorkflowStatuses;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's pass: apply the policies to every member (plan, observe, workflow runs, diff,
 * apply), then observe the members again and report every cluster and every backup, restore and
 * migration as they now stand. Stateless between passes except for the conditions' transition
 * times: a new instance picks up every workflow where the clusters show it stands.
 */
public final class ReconcilePass implements FleetPass {
  private static final Logger logger = LoggerFactory.getLogger(ReconcilePass.class);

  private final Pipeline pipeline;
  private final CredentialSource credentials;
  private final ApplyOptions options;
  private final StatusBuilder statuses;

  public ReconcilePass(Pipeline pipeline, CredentialSource credentials, ApplyOptions options, Clock clock) {
    this(pipeline, credentials, options, new StatusBuilder(clock));
  }

  public ReconcilePass(Pipeline pipeline, CredentialSource credentials, ApplyOptions options, StatusBuilder statuses) {
    this.pipeline = pipeline;
    this.credentials = credentials;
    this.options = options;
    this.statuses = statuses;
  }

  @Override
  public PassResult run(PolicySet policies) {
    Pipeline.Pass pass;
    try {
      pass = pipeline.pass(policies, credentials, Set.of(), new Pipeline.Apply(options));
    } catch (RuntimeException e) {
      logger.error("pass failed", e);
      String error = "pass failed: " + e;
      return new PassResult(order(policies).stream().map(c -> new ClusterState(c, fleetOf(policies, c), false, Optional.of(error),
          false, Optional.empty(), "Unknown", ClusterState.ApplySummary.NONE)).toList(), List.of(), List.of(), List.of());
    }
    Map<String, MemberResult> results = pass.members().stream()
        .collect(Collectors.toMap(MemberResult::cluster, r -> r, (a, b) -> a, LinkedHashMap::new));
    Map<String, String> unreachable = new HashMap<>();
    results.values().forEach(r -> {
      if (r instanceof MemberResult.Failed f
          && (f.reason() == MemberResult.Reason.UNREACHABLE || f.reason() == MemberResult.Reason.TIMED_OUT)) {
        unreachable.put(f.cluster(), f.message());
      }
    });
    FleetObservation read = pipeline.observe(policies, credentials, unreachable.keySet());
    Map<String, String> failures = new HashMap<>(read.failures());
    failures.putAll(unreachable);
    FleetObservation after = new FleetObservation(read.members(), failures);
    WorkflowStatuses workflows = statuses.build(policies, after);
    List<ClusterState> clusters = new ArrayList<>();
    for (String cluster : order(policies)) {
      clusters.add(state(cluster, fleetOf(policies, cluster), Optional.ofNullable(results.get(cluster)), after));
    }
    return new PassResult(clusters, workflows.backups(), workflows.restores(), workflows.migrations());
  }

  private static ClusterState state(String cluster, String fleet, Optional<MemberResult> result, FleetObservation after) {
    Optional<MemberObservation> seen = after.member(cluster);
    Optional<String> error = result.flatMap(ReconcilePass::error);
    if (seen.isEmpty()) {
      String why = after.failure(cluster).orElse(error.orElse("not read"));
      boolean reachable = result.isPresent() && !(result.get() instanceof MemberResult.Failed);
      return new ClusterState(cluster, fleet, reachable, Optional.of(why), false, Optional.empty(), "Unknown",
          summary(result));
    }
    MemberObservation m = seen.get();
    String location = m.location(Conventions.DEFAULT_LOCATION).map(l -> l.status().phaseText()).filter(p -> !p.isEmpty()).orElse("Unknown");
    return new ClusterState(cluster, fleet, true, error, m.server().ready(), m.server().version(), location, summary(result));
  }

  private static Optional<String> error(MemberResult result) {
    if (result instanceof MemberResult.Failed f) {
      return Optional.of(f.message());
    }
    if (result instanceof MemberResult.Applied a) {
      if (a.result() instanceof ApplyResult.Refused refused) {
        return Optional.of("apply refused: " + refused.message());
      }
      if (a.result() instanceof ApplyResult.Applied applied && !applied.failures().isEmpty()) {
        ObjectFailure first = applied.failures().get(0);
        int more = applied.failures().size() - 1;
        return Optional.of(first.ref() + ": " + first.reason() + ": " + first.message() + (more > 0 ? " (and " + more + " more)" : ""));
      }
    }
    return Optional.empty();
  }

  private static ClusterState.ApplySummary summary(Optional<MemberResult> result) {
    if (result.isPresent() && result.get() instanceof MemberResult.Applied a && a.result() instanceof ApplyResult.Applied applied) {
      Map<Action, Long> counts = applied.changes().stream().collect(Collectors.groupingBy(Change::action, Collectors.counting()));
      return new ClusterState.ApplySummary(count(counts, Action.CREATED), count(counts, Action.CONFIGURED),
          count(counts, Action.DELETED), count(counts, Action.UNCHANGED));
    }
    return ClusterState.ApplySummary.NONE;
  }

  private static int count(Map<Action, Long> counts, Action action) {
    return counts.getOrDefault(action, 0L).intValue();
  }

  /** The fleets' clusters in the order each fleet lists them, then the clusters in no fleet. */
  private static List<String> order(PolicySet policies) {
    LinkedHashMap<String, Boolean> order = new LinkedHashMap<>();
    for (Fleet fleet : policies.fleets()) {
      fleet.spec().clusters().stream().filter(c -> ClusterRef.ATTACHED_CLUSTER.equals(c.effectiveKind()))
          .filter(c -> policies.attachedCluster(fleet.metadata().namespace(), c.name()).isPresent())
          .forEach(c -> order.putIfAbsent(c.name(), true));
    }
    policies.clusters().stream().map(AttachedCluster::name).forEach(c -> order.putIfAbsent(c, true));
    return List.copyOf(order.keySet());
  }

  /** {@code default/quickstart}: the fleet that installs Velero on the cluster, else the first fleet listing it. */
  private static String fleetOf(PolicySet policies, String cluster) {
    List<Fleet> listing = policies.fleets().stream()
        .filter(f -> f.spec().clusters().stream().anyMatch(c -> c.name().equals(cluster) && ClusterRef.ATTACHED_CLUSTER.equals(c.effectiveKind())))
        .toList();
    return listing.stream().filter(f -> f.backup().isPresent()).findFirst().or(() -> listing.stream().findFirst())
        .map(f -> f.metadata().namespace() + "/" + f.metadata().name()).orElse("");
  }
}
