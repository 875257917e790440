package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.Applier;
import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.cluster.KubeconfigRefusedException;
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
import dev.fleetbackup.plan.WorkflowRuns;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import dev.fleetbackup.workflows.FleetObservation;
import dev.fleetbackup.workflows.MemberObservation;
import dev.fleetbackup.workflows.Observer;
import dev.fleetbackup.workflows.StepResolver;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One pass over the fleet, shared by the command line and the daemon: validate, read the
 * credentials, plan, observe every member's Velero objects, let the workflows add the runs whose
 * time has come, then diff (and apply) every member in parallel. A member that fails is reported
 * and the others go on; nothing here knows how to render a result.
 */
public final class Pipeline {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);
  /** How a member that did not answer at all is described; such a member is not contacted again in the same pass. */
  private static final String UNREACHABLE = "cannot reach ";

  private final Validator validator;
  private final Planner planner;
  private final MemberClients clients;
  private final Differ differ;
  private final Observer observer;
  private final StepResolver steps;
  private final Duration memberDeadline;

  public Pipeline(Validator validator, Planner planner, MemberClients clients, Differ differ, Duration memberDeadline) {
    this.validator = validator;
    this.planner = planner;
    this.clients = clients;
    this.differ = differ;
    this.observer = new Observer(planner.settings().namespace());
    this.steps = new StepResolver(new WorkflowRuns(planner.settings()));
    this.memberDeadline = memberDeadline;
  }

  /**
   * This pipeline under other guardrails: validation holds policies to them, and the plans keep a
   * restore of every namespace out of the refused ones.
   */
  public Pipeline withGuardrails(Guardrails guardrails) {
    return new Pipeline(validator.withGuardrails(guardrails),
        new Planner(planner.settings().withRefusedTargetNamespaces(guardrails.refusedTargetNamespaces())), clients, differ,
        memberDeadline);
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
    return new PassReport.Completed(request.snapshot().revision(),
        pass(validation.policies(), request.credentials(), request.clusters(), request.mode()).members());
  }

  /** What a pass over valid policies did to each selected member, and what the members held before it. */
  public record Pass(List<MemberResult> members, FleetObservation before) {
    public Pass {
      members = List.copyOf(members);
    }
  }

  /**
   * A pass over valid policies: plan, observe every member (a migration's targets depend on its
   * source), resolve the workflows' runs, then diff (and apply) the selected members in parallel.
   * {@code clusters} empty means every member.
   */
  public Pass pass(PolicySet policies, CredentialSource credentials, Set<String> clusters, Mode mode) {
    FleetPlan planned = planner.plan(policies, storageCredentials(policies, credentials));
    List<String> unknown = clusters.stream().filter(c -> planned.member(c).isEmpty()).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("no AttachedCluster named " + String.join(", ", unknown) + " in the config repo");
    }
    FleetObservation before = observe(policies, credentials, Set.of());
    FleetPlan plan = steps.resolve(policies, planned, before);
    Map<String, Callable<MemberResult>> tasks = new LinkedHashMap<>();
    for (MemberPlan member : plan.members()) {
      if (clusters.isEmpty() || clusters.contains(member.cluster())) {
        AttachedCluster cluster = policies.attachedCluster(member.namespace(), member.cluster()).orElseThrow();
        Optional<String> unreachable = before.failure(member.cluster()).filter(f -> f.startsWith(UNREACHABLE));
        tasks.put(member.cluster(), unreachable.isPresent() // tried moments ago: no second connect timeout
            ? () -> new MemberResult.Failed(member.cluster(), MemberResult.Reason.UNREACHABLE, unreachable.get(), true)
            : () -> member(credentials, mode, cluster, member));
      }
    }
    Map<String, MemberResult> results = Parallel.run(tasks, memberDeadline, new Parallel.Fallback<>() {
      @Override
      public MemberResult timedOut(String cluster) {
        return new MemberResult.Failed(cluster, MemberResult.Reason.TIMED_OUT, "no result within " + memberDeadline, true);
      }

      @Override
      public MemberResult failed(String cluster, Throwable cause) {
        logger.debug("{}: pass failed", cluster, cause);
        return new MemberResult.Failed(cluster, MemberResult.Reason.INTERNAL_ERROR, String.valueOf(cause), false);
      }

      @Override
      public MemberResult interrupted(String cluster) {
        return new MemberResult.Failed(cluster, MemberResult.Reason.INTERNAL_ERROR, "interrupted", true);
      }
    });
    return new Pass(List.copyOf(results.values()), before);
  }

  /**
   * Reads every member's Velero objects in parallel, read-only. A member that cannot be read is
   * recorded with the reason; {@code skip} members are not contacted (recorded as not read).
   */
  public FleetObservation observe(PolicySet policies, CredentialSource credentials, Set<String> skip) {
    Map<String, Callable<Optional<String>>> tasks = new LinkedHashMap<>();
    Map<String, MemberObservation> seen = new java.util.concurrent.ConcurrentHashMap<>();
    for (AttachedCluster cluster : policies.clusters()) {
      if (!skip.contains(cluster.name())) {
        tasks.put(cluster.name(), () -> {
          try (MemberConnection connection = clients.open(cluster.name(), credentials.kubeconfig(cluster))) {
            try {
              seen.put(cluster.name(), observer.observe(connection));
              return Optional.empty();
            } catch (KubernetesClientException e) {
              // no HTTP answer at all: fabric8 8 reports code -1
              return Optional.of((e.getCode() <= 0 ? UNREACHABLE : "cannot read Velero's objects from ") + connection.server() + ": "
                  + Errors.describe(e));
            }
          } catch (CredentialsUnavailableException e) {
            return Optional.of(e.getMessage());
          }
        });
      }
    }
    Map<String, Optional<String>> outcomes = Parallel.run(tasks, memberDeadline, new Parallel.Fallback<>() {
      @Override
      public Optional<String> timedOut(String cluster) {
        return Optional.of("not read within " + memberDeadline);
      }

      @Override
      public Optional<String> failed(String cluster, Throwable cause) {
        logger.debug("{}: observation failed", cluster, cause);
        return Optional.of(String.valueOf(cause));
      }

      @Override
      public Optional<String> interrupted(String cluster) {
        return Optional.of("interrupted");
      }
    });
    Map<String, String> failures = new HashMap<>();
    outcomes.forEach((cluster, failure) -> failure.ifPresent(f -> failures.put(cluster, f)));
    Map<String, MemberObservation> members = new HashMap<>(seen);
    members.keySet().removeAll(failures.keySet());
    return new FleetObservation(members, failures);
  }

  private MemberResult member(CredentialSource credentials, Mode mode, AttachedCluster cluster, MemberPlan plan)
      throws InterruptedException {
    MDC.put("cluster", plan.cluster());
    Instant start = Instant.now();
    try {
      if (mode instanceof Apply) {
        Optional<Unrendered> missing = plan.unrendered().stream()
            .filter(u -> u.reason() == Unrendered.Reason.CREDENTIALS_UNAVAILABLE).findFirst();
        if (missing.isPresent()) {
          return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.CREDENTIALS_UNAVAILABLE, missing.get().message(), false);
        }
      }
      try (MemberConnection connection = clients.open(plan.cluster(), credentials.kubeconfig(cluster))) {
        try {
          ChangeSet changes = differ.diff(connection, plan);
          logger.debug("{}: diff {}", plan.cluster(), changes.counts());
          if (mode instanceof Apply apply) {
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
    } catch (KubeconfigRefusedException e) {
      return new MemberResult.Failed(plan.cluster(), MemberResult.Reason.KUBECONFIG_REFUSED, e.getMessage(), false);
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
