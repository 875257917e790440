package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.Applier;
import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.Differ;
import dev.fleetbackup.diff.Errors;
import dev.fleetbackup.diff.Inventory;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One pass over the fleet, shared by the command line and the daemon: validate, read the
 * credentials, plan, then diff (and apply) every member in parallel. A member that fails is
 * reported and the others go on; nothing here knows how to render a result.
 */
public final class Pipeline {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

  private final Validator validator;
  private final Planner planner;
  private final MemberClients clients;
  private final Differ differ;
  private final Duration memberDeadline;

  public Pipeline(Validator validator, Planner planner, MemberClients clients, Differ differ, Duration memberDeadline) {
    this.validator = validator;
    this.planner = planner;
    this.clients = clients;
    this.differ = differ;
    this.memberDeadline = memberDeadline;
  }

  /** What a pass is asked to do. {@code clusters} empty means every member. */
  public record Request(PolicySnapshot snapshot, CredentialSource credentials, Set<String> clusters, Mode mode) {
    public Request {
      clusters = Set.copyOf(clusters);
    }
  }

  /** Diff only, or diff and apply with the given options. */
  public sealed interface Mode permits DiffOnly, Apply {}

  public record DiffOnly() implements Mode {}

  public record Apply(ApplyOptions options) implements Mode {}

  public PassReport run(Request request) {
    ValidationReport validation = validator.validate(request.snapshot());
    if (!validation.valid()) {
      return new PassReport.Invalid(validation);
    }
    PolicySet policies = validation.policies();
    FleetPlan plan = planner.plan(policies, storageCredentials(policies, request.credentials()));
    List<String> unknown = request.clusters().stream().filter(c -> plan.member(c).isEmpty()).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("no AttachedCluster named " + String.join(", ", unknown) + " in the config repo");
    }
    List<MemberPlan> members = plan.members().stream()
        .filter(m -> request.clusters().isEmpty() || request.clusters().contains(m.cluster()))
        .toList();
    Map<String, Future<MemberResult>> futures = new LinkedHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(members.size(), 8)));
    try {
      for (MemberPlan member : members) {
        AttachedCluster cluster = policies.attachedCluster(member.namespace(), member.cluster()).orElseThrow();
        futures.put(member.cluster(), executor.submit(() -> member(request, cluster, member)));
      }
      List<MemberResult> results = new ArrayList<>();
      Instant deadline = Instant.now().plus(memberDeadline);
      for (Map.Entry<String, Future<MemberResult>> e : futures.entrySet()) {
        results.add(await(e.getKey(), e.getValue(), deadline));
      }
      return new PassReport.Completed(request.snapshot().revision(), results);
    } finally {
      executor.shutdownNow();
    }
  }

  private MemberResult await(String cluster, Future<MemberResult> future, Instant deadline) {
    try {
      long millis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new MemberResult.Failed(cluster, MemberResult.Reason.TIMED_OUT, "no result within " + memberDeadline, true);
    } catch (ExecutionException e) {
      logger.debug("{}: pass failed", cluster, e.getCause());
      return new MemberResult.Failed(cluster, MemberResult.Reason.INTERNAL_ERROR, String.valueOf(e.getCause()), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new MemberResult.Failed(cluster, MemberResult.Reason.INTERNAL_ERROR, "interrupted", true);
    }
  }

  private MemberResult member(Request request, AttachedCluster cluster, MemberPlan plan) throws InterruptedException {
    MDC.put("cluster", plan.cluster());
    Instant start = Instant.now();
    try {
      if (request.mode() instanceof Apply) {
        Optional<Unrendered> missing = plan.unrendered().stream()
            .filter(u -> u.reason() == Unrendered.Reason.CREDENTIALS_UNAVAILABLE).findFirst();
        if (missing.isPresent()) {
          return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.CREDENTIALS_UNAVAILABLE, missing.get().message(), false);
        }
      }
      try (MemberConnection connection = clients.open(plan.cluster(), request.credentials().kubeconfig(cluster))) {
        try {
          ChangeSet changes = differ.diff(connection, plan);
          logger.info("{}: diff {}", plan.cluster(), changes.counts());
          if (request.mode() instanceof Apply apply) {
            var result = new Applier(apply.options()).apply(connection, changes);
            return new MemberResult.Applied(plan.cluster(), changes, result, connection.requests(), Duration.between(start, Instant.now()));
          }
          return new MemberResult.Diffed(plan.cluster(), changes, connection.requests(), Duration.between(start, Instant.now()));
        } catch (KubernetesClientException e) {
          return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.UNREACHABLE,
              "cannot reach " + connection.server() + ": " + Errors.describe(e), true);
        } catch (Inventory.InventoryException e) {
          return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.INVENTORY_DAMAGED, e.getMessage(), false);
        }
      }
    } catch (CredentialsUnavailableException e) {
      return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.CREDENTIALS_UNAVAILABLE, e.getMessage(), false);
    } finally {
      MDC.remove("cluster");
    }
  }

  private static Map<ResourceId, StorageCredentials> storageCredentials(PolicySet policies, CredentialSource source) {
    Map<ResourceId, StorageCredentials> credentials = new HashMap<>();
    for (Fleet fleet : policies.fleets()) {
      if (fleet.backup().isEmpty()) {
        continue;
      }
      try {
        credentials.put(fleet.id(), source.storage(fleet));
      } catch (CredentialsUnavailableException e) {
        logger.warn("fleet {}: {}", fleet.metadata().name(), e.getMessage());
      }
    }
    return credentials;
  }

  /** For tests and the daemon: the request count of a result, if it reached its member. */
  public static Optional<RequestCount> requests(MemberResult result) {
    if (result instanceof MemberResult.Diffed d) {
      return Optional.of(d.requests());
    }
    if (result instanceof MemberResult.Applied a) {
      return Optional.of(a.requests());
    }
    return Optional.empty();
  }
}
