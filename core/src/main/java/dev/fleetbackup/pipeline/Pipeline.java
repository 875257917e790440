package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.Applier;
import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.cluster.KubeconfigRefusedException;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.Differ;
import dev.fleetbackup.diff.Inventory;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.plan.WorkflowRuns;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import dev.fleetbackup.workflows.FleetObservation;
import dev.fleetbackup.workflows.MemberObservation;
import dev.fleetbackup.workflows.Observer;
import dev.fleetbackup.workflows.StatusBuilder;
import dev.fleetbackup.workflows.StepResolver;
import dev.fleetbackup.workflows.WorkflowStatuses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The pass over the fleet, one for {@code diff}, {@code apply} and the daemon: read the
 * credentials, plan, observe every member's Velero objects, let the workflows add the runs whose
 * time has come, diff (and apply) the selected members in parallel, read their status, and put it
 * all in one {@link PassOutcome}. A member that fails is part of the outcome and the others go on;
 * nothing here knows how to render it.
 *
 * <p>Remembers one thing between passes, the workflow conditions' transition times: keep one
 * instance per reconciler ({@link #withGuardrails} makes a new one).
 */
public final class Pipeline {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

  private final Validator validator;
  private final Planner planner;
  private final MemberClients clients;
  private final Differ differ;
  private final Observer observer;
  private final StepResolver steps;
  private final StatusBuilder statuses;
  private final Duration memberDeadline;
  private final Clock clock;

  public Pipeline(Validator validator, Planner planner, MemberClients clients, Differ differ, Duration memberDeadline,
      Clock clock) {
    this.validator = validator;
    this.planner = planner;
    this.clients = clients;
    this.differ = differ;
    this.observer = new Observer(planner.settings().namespace());
    this.steps = new StepResolver(new WorkflowRuns(planner.settings()));
    this.statuses = new StatusBuilder(clock);
    this.memberDeadline = memberDeadline;
    this.clock = clock;
  }

  /**
   * This pipeline under other guardrails: validation holds policies to them, and the plans keep a
   * restore of every namespace out of the refused ones.
   */
  public Pipeline withGuardrails(Guardrails guardrails) {
    return new Pipeline(validator.withGuardrails(guardrails),
        new Planner(planner.settings().withRefusedTargetNamespaces(guardrails.refusedTargetNamespaces())), clients, differ,
        memberDeadline, clock);
  }

  /** What a pass is asked to do. */
  public record Request(CredentialSource credentials, Selection selection, Mode mode) {}

  /** Diff only, or diff and apply with the given options. */
  public sealed interface Mode permits DiffOnly, Apply {}

  public record DiffOnly() implements Mode {}

  public record Apply(ApplyOptions options) implements Mode {}

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
   * Plan, observe every member (a migration's targets depend on its source), resolve the workflows'
   * runs, diff (and apply) the selected members; after applying, read them again for their status.
   */
  private PassOutcome pass(PolicySet policies, Request request) {
    CredentialSource credentials = request.credentials();
    FleetPlan planned = planner.plan(policies, FleetCredentials.read(policies, credentials));
    FleetObservation before = observe(policies, credentials, Set.of());
    FleetPlan plan = steps.resolve(policies, planned, before);
    Map<String, Callable<MemberOutcome>> tasks = new LinkedHashMap<>();
    for (MemberPlan member : plan.members()) {
      if (request.selection().includes(member.cluster())) {
        AttachedCluster cluster = policies.attachedCluster(member.namespace(), member.cluster()).orElseThrow();
        Optional<MemberFailure> unanswered = before.failure(member.cluster()).filter(f -> f.reason().unanswered());
        tasks.put(member.cluster(), unanswered.isPresent() // tried moments ago: no second connect timeout
            ? () -> new MemberOutcome.Failed(member.cluster(), unanswered.get())
            : () -> member(credentials, request.mode(), cluster, member));
      }
    }
    Map<String, MemberOutcome> outcomes = Parallel.run(tasks, memberDeadline, clock, new Parallel.Fallback<>() {
      @Override
      public MemberOutcome timedOut(String cluster) {
        return new MemberOutcome.Failed(cluster, MemberFailure.Reason.TIMED_OUT, "no result within " + memberDeadline);
      }

      @Override
      public MemberOutcome failed(String cluster, Throwable cause) {
        logger.debug("{}: pass failed", cluster, cause);
        return new MemberOutcome.Failed(cluster, MemberFailure.Reason.INTERNAL_ERROR, String.valueOf(cause));
      }

      @Override
      public MemberOutcome interrupted(String cluster) {
        return new MemberOutcome.Failed(cluster, MemberFailure.Reason.INTERRUPTED, "interrupted");
      }
    });
    FleetObservation status = request.mode() instanceof Apply
        ? reread(policies, credentials, request.selection(), outcomes, before) : before;
    return PassOutcome.assemble(policies, outcomes, status, statuses.build(policies, status));
  }

  /**
   * After applying: the selected members that answered, read again for their status; the members
   * not selected as they were read before, and those that did not answer with why.
   */
  private FleetObservation reread(PolicySet policies, CredentialSource credentials, Selection selection,
      Map<String, MemberOutcome> outcomes, FleetObservation before) {
    Set<String> keep = policies.clusters().stream().map(AttachedCluster::name)
        .filter(c -> !selection.includes(c) || unanswered(outcomes.get(c)))
        .collect(Collectors.toSet());
    FleetObservation read = observe(policies, credentials, keep);
    Map<String, MemberObservation> members = new HashMap<>(read.members());
    Map<String, MemberFailure> failures = new HashMap<>(read.failures());
    for (String cluster : keep) {
      Optional<MemberFailure> failure = Optional.ofNullable(outcomes.get(cluster)).flatMap(MemberOutcome::failure)
          .or(() -> before.failure(cluster));
      failure.ifPresent(f -> failures.put(cluster, f));
      before.member(cluster).filter(m -> failure.isEmpty()).ifPresent(m -> members.put(cluster, m));
    }
    return new FleetObservation(members, failures);
  }

  private static boolean unanswered(MemberOutcome outcome) {
    return outcome != null && outcome.reason().filter(MemberFailure.Reason::unanswered).isPresent();
  }

  /**
   * Reads every member's Velero objects in parallel, read-only. A member that cannot be read is
   * recorded with the reason; {@code skip} members are not contacted (recorded as not read).
   */
  private FleetObservation observe(PolicySet policies, CredentialSource credentials, Set<String> skip) {
    Map<String, Callable<Optional<MemberFailure>>> tasks = new LinkedHashMap<>();
    Map<String, MemberObservation> seen = new java.util.concurrent.ConcurrentHashMap<>();
    for (AttachedCluster cluster : policies.clusters()) {
      if (!skip.contains(cluster.name())) {
        tasks.put(cluster.name(), () -> {
          try (MemberConnection connection = clients.open(cluster.name(), credentials.kubeconfig(cluster))) {
            try {
              seen.put(cluster.name(), observer.observe(connection));
              return Optional.empty();
            } catch (MemberException e) {
              return Optional.of(Failures.of(e, "cannot read Velero's objects from ", connection.server()));
            }
          } catch (KubeconfigRefusedException e) {
            return Optional.of(new MemberFailure(MemberFailure.Reason.KUBECONFIG_REFUSED, e.getMessage()));
          } catch (CredentialsUnavailableException e) {
            return Optional.of(new MemberFailure(MemberFailure.Reason.CREDENTIALS_UNAVAILABLE, e.getMessage()));
          }
        });
      }
    }
    Map<String, Optional<MemberFailure>> outcomes = Parallel.run(tasks, memberDeadline, clock, new Parallel.Fallback<>() {
      @Override
      public Optional<MemberFailure> timedOut(String cluster) {
        return Optional.of(new MemberFailure(MemberFailure.Reason.TIMED_OUT, "not read within " + memberDeadline));
      }

      @Override
      public Optional<MemberFailure> failed(String cluster, Throwable cause) {
        logger.debug("{}: observation failed", cluster, cause);
        return Optional.of(new MemberFailure(MemberFailure.Reason.INTERNAL_ERROR, String.valueOf(cause)));
      }

      @Override
      public Optional<MemberFailure> interrupted(String cluster) {
        return Optional.of(new MemberFailure(MemberFailure.Reason.INTERRUPTED, "interrupted"));
      }
    });
    Map<String, MemberFailure> failures = new HashMap<>();
    outcomes.forEach((cluster, failure) -> failure.ifPresent(f -> failures.put(cluster, f)));
    Map<String, MemberObservation> members = new HashMap<>(seen);
    members.keySet().removeAll(failures.keySet());
    return new FleetObservation(members, failures);
  }

  private MemberOutcome member(CredentialSource credentials, Mode mode, AttachedCluster cluster, MemberPlan plan)
      throws InterruptedException {
    MDC.put("cluster", plan.cluster());
    Instant start = clock.instant();
    try {
      if (mode instanceof Apply) {
        Optional<Unrendered> missing = plan.unrendered().stream()
            .filter(u -> u.reason() == Unrendered.Reason.CREDENTIALS_UNAVAILABLE).findFirst();
        if (missing.isPresent()) {
          return new MemberOutcome.Failed(plan.cluster(), MemberFailure.Reason.CREDENTIALS_UNAVAILABLE, missing.get().message());
        }
      }
      try (MemberConnection connection = clients.open(plan.cluster(), credentials.kubeconfig(cluster))) {
        try {
          ChangeSet changes = differ.diff(connection, plan);
          logger.debug("{}: diff {}", plan.cluster(), changes.counts());
          if (mode instanceof Apply apply) {
            ApplyResult result = new Applier(apply.options()).apply(connection, changes);
            Duration took = Duration.between(start, clock.instant());
            return result instanceof ApplyResult.Applied applied
                ? new MemberOutcome.Applied(plan.cluster(), changes, applied, connection.requests(), took)
                : new MemberOutcome.Refused(plan.cluster(), changes, (ApplyResult.Refused) result, connection.requests(), took);
          }
          return new MemberOutcome.Diffed(plan.cluster(), changes, connection.requests(), Duration.between(start, clock.instant()));
        } catch (MemberException e) {
          return new MemberOutcome.Failed(plan.cluster(), Failures.of(e, "cannot diff or apply in ", connection.server()));
        } catch (Inventory.InventoryException e) {
          return new MemberOutcome.Failed(plan.cluster(), MemberFailure.Reason.INVENTORY_DAMAGED, e.getMessage());
        }
      }
    } catch (KubeconfigRefusedException e) {
      return new MemberOutcome.Failed(plan.cluster(), MemberFailure.Reason.KUBECONFIG_REFUSED, e.getMessage());
    } catch (CredentialsUnavailableException e) {
      return new MemberOutcome.Failed(plan.cluster(), MemberFailure.Reason.CREDENTIALS_UNAVAILABLE, e.getMessage());
    } finally {
      MDC.remove("cluster");
    }
  }
}
