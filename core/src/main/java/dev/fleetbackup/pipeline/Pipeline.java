package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.Applier;
import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.cluster.KubeconfigRefusedException;
import dev.fleetbackup.cluster.MemberBudget;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberConnector;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.Differ;
import dev.fleetbackup.diff.Ownership;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.Observer;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import dev.fleetbackup.workflows.RunResolver;
import dev.fleetbackup.workflows.StatusBuilder;
import dev.fleetbackup.workflows.WorkflowStatuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The pass over the fleet, one for {@code diff}, {@code apply} and the daemon, in the order it
 * runs: plan; observe each member once (Velero's objects, the inventory, the objects it
 * reconciles); resolve every run's final name from that observation; diff (and apply) the
 * selected members in parallel; assemble one {@link PassOutcome} with the workflows' statuses,
 * taken from the same observation and what was created. A member that fails is part of the
 * outcome and the others go on; nothing here knows how to render it.
 *
 * <p>Remembers one thing between passes, the workflow conditions' transition times: keep one
 * instance per reconciler ({@link #withGuardrails} and {@link #withConnector} make a new one).
 */
public final class Pipeline {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

  private final Validator validator;
  private final Planner planner;
  private final MemberConnector clients;
  private final Observer observer;
  private final RunResolver resolver = new RunResolver();
  private final Differ differ = new Differ();
  private final StatusBuilder statuses;
  private final Duration memberBudget;
  private final Clock clock;

  /** @param memberBudget how long one pass may work on one member, its observation, diff and apply together */
  public Pipeline(Validator validator, Planner planner, MemberConnector clients, Duration memberBudget, Clock clock) {
    this.validator = validator;
    this.planner = planner;
    this.clients = clients;
    this.observer = new Observer(planner.settings().namespace());
    this.statuses = new StatusBuilder(clock);
    this.memberBudget = memberBudget;
    this.clock = clock;
  }

  /**
   * This pipeline under other guardrails: validation holds policies to them, and the plans keep a
   * restore of every namespace out of the refused ones.
   */
  public Pipeline withGuardrails(Guardrails guardrails) {
    return new Pipeline(validator.withGuardrails(guardrails),
        new Planner(planner.settings().withRefusedTargetNamespaces(guardrails.refusedTargetNamespaces())), clients,
        memberBudget, clock);
  }

  /** This pipeline, reaching the members through {@code connector} (the same clients naming this instance, say). */
  public Pipeline withConnector(MemberConnector connector) {
    return new Pipeline(validator, planner, connector, memberBudget, clock);
  }

  /** What a pass is asked to do, how many members it works on at a time, and how long it waits on each. */
  public record Request(CredentialSource credentials, Selection selection, Mode mode, Concurrency concurrency, Timeouts timeouts) {
    public Request(CredentialSource credentials, Selection selection, Mode mode, Concurrency concurrency) {
      this(credentials, selection, mode, concurrency, Timeouts.UNSET);
    }

    public Request(CredentialSource credentials, Selection selection, Mode mode) {
      this(credentials, selection, mode, Concurrency.DEFAULT);
    }
  }

  /** Diff only, or diff and apply with the given options. */
  public sealed interface Mode permits DiffOnly, Apply {}

  public record DiffOnly() implements Mode {}

  /** Diff and apply with {@code options}, writing while {@code fence} holds. */
  public record Apply(ApplyOptions options, Fence fence) implements Mode {
    /** With no election: always writing. */
    public Apply(ApplyOptions options) {
      this(options, Fence.NONE);
    }
  }

  /**
   * The objects each member should hold, planned offline ({@code build}): no member is read and no
   * credential; placeholders stand in for the storage credentials, so a Secret holds no value. Runs
   * carry their first name: a pass names each from what its member holds.
   */
  public FleetPlan plan(PolicySet policies) {
    return planner.plan(policies, FleetCredentials.placeholders(policies));
  }

  /** Validation under this pipeline's guardrails: what the policies must pass before {@link #run}. */
  public ValidationReport validate(PolicySnapshot snapshot) {
    return validator.validate(snapshot);
  }

  /**
   * The pass over valid policies. Never throws: a member that fails is an outcome, and a bug that
   * stops the whole pass fails every selected member with {@code INTERNAL_ERROR}.
   */
  public PassOutcome run(PolicySet policies, Request request) {
    try {
      return pass(policies, request);
    } catch (RuntimeException e) {
      logger.error("pass failed", e);
      Map<String, MemberOutcome> failed = new LinkedHashMap<>();
      policies.clusters().stream().map(AttachedCluster::name).filter(request.selection()::includes).forEach(c ->
          failed.put(c, new MemberOutcome.Failed(c, MemberFailure.Reason.INTERNAL_ERROR, "pass failed: " + e)));
      return PassOutcome.assemble(policies, failed, FleetObservation.NONE, new WorkflowStatuses(List.of(), List.of(), List.of()));
    }
  }

  /**
   * Plan, observe every member once, resolve the runs, diff (and apply) the selected members; the
   * status is the observation with the runs the apply created.
   */
  private PassOutcome pass(PolicySet policies, Request request) {
    CredentialSource credentials = request.credentials();
    FleetPlan plan = planner.plan(policies, FleetCredentials.read(policies, credentials));
    clients.retain(policies.clusters().stream().map(AttachedCluster::name).collect(Collectors.toSet()));
    Map<String, MemberConnection> connections = new ConcurrentHashMap<>();
    Map<String, MemberBudget> budgets = new HashMap<>();
    Duration budget = request.timeouts().member().orElse(memberBudget);
    policies.clusters().forEach(c -> budgets.put(c.name(), new MemberBudget(budget)));
    MemberConnector connector = request.timeouts().request().map(clients::withRequestTimeout).orElse(clients);
    try {
      FleetObservation observed = observe(policies, plan, request, connector, connections, budgets);
      Map<String, ResolvedPlan> resolved = resolver.resolve(plan, observed);
      Map<String, Parallel.Task<MemberOutcome>> tasks = new LinkedHashMap<>();
      Map<String, MemberOutcome> unread = new HashMap<>(); // on no budget: it may have been spent reading
      for (MemberPlan member : plan.members()) {
        String cluster = member.cluster();
        if (request.selection().includes(cluster)) {
          observed.failure(cluster).ifPresentOrElse(failure -> unread.put(cluster, new MemberOutcome.Failed(cluster, failure)),
              () -> tasks.put(cluster, new Parallel.Task<>(() -> member(request.mode(), connections.get(cluster),
                  resolved.get(cluster), observed.member(cluster).orElseThrow()), budgets.get(cluster))));
        }
      }
      Map<String, MemberOutcome> diffed = Parallel.run(tasks, request.concurrency(),
          fallback("diffed and applied", MemberOutcome.Failed::new));
      Map<String, MemberOutcome> outcomes = new LinkedHashMap<>();
      for (MemberPlan member : plan.members()) {
        Optional.ofNullable(unread.get(member.cluster())).or(() -> Optional.ofNullable(diffed.get(member.cluster())))
            .ifPresent(outcome -> outcomes.put(member.cluster(), outcome));
      }
      FleetObservation status = observed.withCreated(created(outcomes));
      return PassOutcome.assemble(policies, outcomes, status, statuses.build(policies, status));
    } finally {
      connections.values().forEach(MemberConnection::close);
    }
  }

  /** The runs each member's apply created, for the status: they exist now, though the observation is older. */
  private static Map<String, List<DesiredObject>> created(Map<String, MemberOutcome> outcomes) {
    Map<String, List<DesiredObject>> created = new HashMap<>();
    outcomes.forEach((cluster, outcome) -> {
      if (outcome instanceof MemberOutcome.Applied applied) {
        created.put(cluster, applied.result().changes().stream()
            .filter(c -> c.action() == Action.CREATED)
            .flatMap(c -> c.desired().stream())
            .filter(DesiredObject::isRun)
            .toList());
      }
    });
    return created;
  }

  /**
   * Reads every member once, in parallel, read-only: the selected ones with the objects their plan
   * reconciles, the others for Velero's objects only (a migration's target depends on its source).
   * A member that cannot be read is recorded with why; the connection of a selected member that
   * was read stays open in {@code connections} for its diff and apply.
   */
  private FleetObservation observe(PolicySet policies, FleetPlan plan, Request request, MemberConnector connector,
      Map<String, MemberConnection> connections, Map<String, MemberBudget> budgets) {
    Map<String, Parallel.Task<Optional<MemberFailure>>> tasks = new LinkedHashMap<>();
    Map<String, MemberObservation> seen = new ConcurrentHashMap<>();
    for (AttachedCluster cluster : policies.clusters()) {
      boolean selected = request.selection().includes(cluster.name());
      List<DesiredObject> desired = selected
          ? plan.member(cluster.name()).map(MemberPlan::objects).orElse(List.of()) : List.of();
      MemberBudget budget = budgets.get(cluster.name());
      tasks.put(cluster.name(), new Parallel.Task<>(() -> {
        MemberConnection connection;
        try {
          connection = connector.open(cluster.name(), request.credentials().kubeconfig(cluster), budget);
        } catch (KubeconfigRefusedException e) {
          return Optional.of(new MemberFailure(MemberFailure.Reason.KUBECONFIG_REFUSED, e.getMessage()));
        } catch (CredentialsUnavailableException e) {
          return Optional.of(new MemberFailure(MemberFailure.Reason.CREDENTIALS_UNAVAILABLE, e.getMessage()));
        }
        boolean kept = false;
        try {
          seen.put(cluster.name(), observer.observe(connection, desired));
          if (selected) {
            connections.put(cluster.name(), connection);
            kept = true;
          }
          return Optional.empty();
        } catch (MemberException e) {
          return Optional.of(e.failure().asMemberFailure("cannot read from ", connection.server()));
        } finally {
          if (!kept) {
            connection.close();
          }
        }
      }, budget));
    }
    Map<String, Optional<MemberFailure>> outcomes = Parallel.run(tasks, request.concurrency(),
        fallback("read", (cluster, failure) -> Optional.of(failure)));
    Map<String, MemberFailure> failures = new HashMap<>();
    outcomes.forEach((cluster, failure) -> failure.ifPresent(f -> failures.put(cluster, f)));
    Map<String, MemberObservation> members = new HashMap<>(seen);
    members.keySet().removeAll(failures.keySet());
    return new FleetObservation(members, failures);
  }

  /** What stands in for a member's task that did not return: the failure, as {@code as} makes it. */
  private <T> Parallel.Fallback<T> fallback(String doing, BiFunction<String, MemberFailure, T> as) {
    return new Parallel.Fallback<>() {
      @Override
      public T timedOut(String cluster, MemberBudget budget) {
        return as.apply(cluster, new MemberFailure(MemberFailure.Reason.TIMED_OUT,
            "not " + doing + " within its budget of " + budget.total().toSeconds() + " s for a pass"));
      }

      @Override
      public T failed(String cluster, Throwable cause) {
        logger.debug("{}: not {}", cluster, doing, cause);
        return as.apply(cluster, new MemberFailure(MemberFailure.Reason.INTERNAL_ERROR, String.valueOf(cause)));
      }

      @Override
      public T interrupted(String cluster) {
        return as.apply(cluster, new MemberFailure(MemberFailure.Reason.INTERRUPTED, "interrupted"));
      }
    };
  }

  private MemberOutcome member(Mode mode, MemberConnection connection, ResolvedPlan plan, MemberObservation observed)
      throws InterruptedException {
    String cluster = plan.plan().cluster();
    MDC.put("cluster", cluster);
    Instant start = clock.instant();
    try {
      if (mode instanceof Apply) {
        Optional<Unrendered> missing = plan.plan().unrendered().stream()
            .filter(u -> u.reason() == Unrendered.Reason.CREDENTIALS_UNAVAILABLE).findFirst();
        if (missing.isPresent()) {
          return new MemberOutcome.Failed(cluster, MemberFailure.Reason.CREDENTIALS_UNAVAILABLE, missing.get().message());
        }
      }
      Ownership ownership = mode instanceof Apply apply ? apply.options().ownership() : Ownership.OURS_ONLY;
      ChangeSet changes = differ.diff(connection, plan, observed, ownership);
      logger.debug("{}: diff {}", cluster, changes.counts());
      if (mode instanceof Apply apply) {
        ApplyResult result = new Applier(apply.options(), apply.fence()).apply(connection, changes);
        Duration took = Duration.between(start, clock.instant());
        return result instanceof ApplyResult.Applied applied
            ? new MemberOutcome.Applied(cluster, changes, applied, connection.requests(), took)
            : new MemberOutcome.Refused(cluster, changes, (ApplyResult.Refused) result, connection.requests(), took);
      }
      return new MemberOutcome.Diffed(cluster, changes, connection.requests(), Duration.between(start, clock.instant()));
    } catch (MemberException e) {
      return new MemberOutcome.Failed(cluster, e.failure().asMemberFailure("cannot diff or apply in ", connection.server()));
    } catch (Inventory.InventoryException e) {
      return new MemberOutcome.Failed(cluster, MemberFailure.Reason.INVENTORY_DAMAGED, e.getMessage());
    } finally {
      MDC.remove("cluster");
    }
  }
}
