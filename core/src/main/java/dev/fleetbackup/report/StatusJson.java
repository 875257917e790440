package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.RunCounters;
import dev.fleetbackup.model.Severity;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code status.json}: the report for machines, and back. Keys in a fixed order, instants as
 * ISO-8601 UTC, durations as ISO-8601 ({@code PT4.2S}), no nulls (absent is left out), lists always
 * present. {@code summary} (with the banner's {@code level} and {@code counts}), {@code needsAttention}
 * and {@code pass.staleAfter} are derived for readers such as {@code jq} and are ignored when read back.
 */
final class StatusJson {
  static final int SCHEMA_VERSION = 1;
  static final String SCHEMA_ID = "https://fleet-backup.dev/schemas/status.schema.json";

  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .defaultPrettyPrinter(new DefaultPrettyPrinter(
              Separators.createDefaultInstance().withObjectNameValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n")))
      .build();

  private StatusJson() {}

  static byte[] write(StatusReport report) {
    return write(report, Optional.empty());
  }

  /**
   * status.json in at most {@code limit} bytes: the whole report, or as many of its clusters,
   * backups, restores and migrations as fit, in that order, with a {@code cut} object that counts
   * the ones left out. Found by halving, a rendering each try: only a report far beyond any real
   * fleet gets here.
   */
  static byte[] write(StatusReport report, int limit) {
    byte[] whole = write(report);
    if (whole.length <= limit) {
      return whole;
    }
    int items = report.clusters().size() + report.backups().size() + report.restores().size() + report.migrations().size();
    byte[] best = cut(report, 0, limit);
    int fits = 0;
    int tooMany = items;
    while (tooMany - fits > 1) {
      int keep = (fits + tooMany) >>> 1;
      byte[] tried = cut(report, keep, limit);
      if (tried.length <= limit) {
        fits = keep;
        best = tried;
      } else {
        tooMany = keep;
      }
    }
    return best;
  }

  /** The report with only its first {@code keep} clusters and workflows, and the cut object saying so. */
  private static byte[] cut(StatusReport report, int keep, int limit) {
    int clusters = Math.min(keep, report.clusters().size());
    int backups = Math.min(keep - clusters, report.backups().size());
    int restores = Math.min(keep - clusters - backups, report.restores().size());
    int migrations = Math.min(keep - clusters - backups - restores, report.migrations().size());
    ObjectNode cut = MAPPER.createObjectNode();
    cut.put("limitBytes", limit);
    ObjectNode omitted = cut.putObject("omitted");
    omitted.put("clusters", report.clusters().size() - clusters);
    omitted.put("backups", report.backups().size() - backups);
    omitted.put("restores", report.restores().size() - restores);
    omitted.put("migrations", report.migrations().size() - migrations);
    return write(new StatusReport(report.finishedAt(), report.took(), report.applied(), report.rejected(),
        report.sourceProblem(), report.clusters().subList(0, clusters), report.backups().subList(0, backups),
        report.restores().subList(0, restores), report.migrations().subList(0, migrations), report.interval()),
        Optional.of(cut));
  }

  private static byte[] write(StatusReport report, Optional<ObjectNode> cut) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", SCHEMA_ID);
    root.put("schemaVersion", SCHEMA_VERSION);
    cut.ifPresent(c -> root.set("cut", c));
    ObjectNode pass = root.putObject("pass");
    pass.put("finishedAt", report.finishedAt().toString());
    pass.put("took", report.took().toString());
    report.interval().ifPresent(interval -> pass.put("interval", interval.toString()));
    report.staleAfter().ifPresent(staleAfter -> pass.put("staleAfter", staleAfter.toString()));

    ObjectNode source = root.putObject("source");
    report.applied().ifPresent(applied -> revision(source.putObject("applied"), applied));
    report.rejected().ifPresent(rejection -> {
      ObjectNode rejected = source.putObject("rejected");
      revision(rejected, rejection.revision());
      rejected.put("errorCount", rejection.errorCount());
      ArrayNode errors = rejected.putArray("errors");
      for (Diagnostic error : rejection.errors()) {
        ObjectNode e = errors.addObject();
        e.put("file", error.location().file());
        e.put("line", error.location().line());
        e.put("column", error.location().column());
        e.put("severity", error.severity().label());
        e.put("message", error.message());
      }
    });
    report.sourceProblem().ifPresent(problem -> source.put("problem", problem));

    List<Attention> attention = Attention.of(report);
    ObjectNode summary = root.putObject("summary");
    summary.put("clusters", report.clusters().size());
    summary.put("clustersReady", report.clusters().stream().filter(StatusJson::ready).count());
    summary.put("needsAttention", attention.size());
    Glance glance = Glance.of(report);
    summary.put("level", glance.level().json());
    ObjectNode counts = summary.putObject("counts");
    glance.counts().forEach(count -> counts.put(count.key(), count.n()));
    ArrayNode needs = root.putArray("needsAttention");
    for (Attention row : attention) {
      ObjectNode n = needs.addObject();
      n.put("what", row.what().plain());
      putIf(n, "where", row.where().isEmpty() ? null : row.where());
      row.since().ifPresent(since -> n.put("since", since.toString()));
      n.put("why", row.why());
    }

    ArrayNode clusters = root.putArray("clusters");
    for (ClusterState cluster : report.clusters()) {
      cluster(clusters.addObject(), cluster);
    }
    workflows(root.putArray("backups"), report.backups());
    workflows(root.putArray("restores"), report.restores());
    workflows(root.putArray("migrations"), report.migrations());
    return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Reachable, Velero ready, its backup location available and nothing went wrong. */
  static boolean ready(ClusterState cluster) {
    return cluster.reachable() && !cluster.failed() && cluster.veleroReady()
        && cluster.backupLocationAvailable();
  }

  private static void revision(ObjectNode node, Revision revision) {
    node.put("branch", revision.branch());
    node.put("sha", revision.sha());
    if (revision.committedAt() != null) {
      node.put("committedAt", revision.committedAt().toString());
    }
  }

  private static void cluster(ObjectNode node, ClusterState cluster) {
    node.put("name", cluster.cluster());
    node.put("fleet", Objects.toString(cluster.fleet(), ""));
    node.put("reachable", cluster.reachable());
    cluster.failure().ifPresent(failure -> {
      node.put("error", failure.message());
      node.put("reason", failure.reason().name());
      node.put("retryable", failure.retryable());
    });
    ObjectNode velero = node.putObject("velero");
    velero.put("ready", cluster.veleroReady());
    cluster.veleroVersion().ifPresent(version -> velero.put("version", version));
    putIf(node, "backupLocationPhase", cluster.backupLocationPhase());
    ClusterState.ApplySummary apply = cluster.lastApply() == null ? ClusterState.ApplySummary.NONE : cluster.lastApply();
    ObjectNode lastApply = node.putObject("lastApply");
    lastApply.put("created", apply.created());
    lastApply.put("configured", apply.configured());
    lastApply.put("deleted", apply.deleted());
    lastApply.put("unchanged", apply.unchanged());
    if (!cluster.warnings().isEmpty()) {
      ArrayNode warnings = node.putArray("warnings");
      for (ClusterState.Warning warning : cluster.warnings()) {
        ObjectNode w = warnings.addObject();
        w.put("reason", warning.reason());
        w.put("what", warning.what());
        w.put("message", warning.message());
        warning.since().ifPresent(since -> w.put("since", since.toString()));
      }
    }
  }

  private static void workflows(ArrayNode array, List<WorkflowStatus> workflows) {
    for (WorkflowStatus workflow : workflows) {
      ObjectNode node = array.addObject();
      node.put("namespace", workflow.id().namespace());
      node.put("name", workflow.id().name());
      putIf(node, "phase", workflow.phase());
      workflow.schedule().ifPresent(schedule -> node.put("schedule", schedule));
      workflow.backupName().ifPresent(backup -> node.put("backupName", backup));
      ArrayNode conditions = node.putArray("conditions");
      for (Condition condition : workflow.conditions()) {
        ObjectNode c = conditions.addObject();
        c.put("type", Objects.toString(condition.type(), ""));
        c.put("status", Objects.toString(condition.status(), Condition.Status.Unknown.name()));
        putIf(c, "reason", condition.reason());
        putIf(c, "message", condition.message());
        if (condition.lastTransitionTime() != null) {
          c.put("lastTransitionTime", condition.lastTransitionTime().toString());
        }
      }
      ArrayNode clusters = node.putArray("clusters");
      for (ClusterRun run : workflow.clusters()) {
        ObjectNode r = clusters.addObject();
        r.put("cluster", run.cluster());
        r.put("role", run.role());
        run.veleroName().ifPresent(name -> r.put("veleroName", name));
        run.waitingFor().ifPresent(waiting -> r.put("waitingFor", waiting));
        run.current().ifPresent(current -> run(r.putObject("current"), current, run.cluster()));
        run.lastCompleted().ifPresent(last -> run(r.putObject("lastCompleted"), last, run.cluster()));
        if (!run.history().isEmpty()) {
          ArrayNode history = r.putArray("history");
          run.history().forEach(past -> run(history.addObject(), past, run.cluster()));
        }
      }
      ArrayNode problems = node.putArray("problems");
      workflow.problems().forEach(problems::add);
    }
  }

  private static void run(ObjectNode node, VeleroRun run, String cluster) {
    if (!cluster.equals(run.cluster())) {
      putIf(node, "cluster", run.cluster());
    }
    node.put("name", run.name());
    node.put("phase", run.phaseText());
    run.started().ifPresent(t -> node.put("started", t.toString()));
    run.completed().ifPresent(t -> node.put("completed", t.toString()));
    run.expiration().ifPresent(t -> node.put("expiration", t.toString()));
    node.put("totalItems", run.totalItems());
    node.put("itemsDone", run.itemsDone());
    node.put("errors", run.errors());
    node.put("warnings", run.warnings());
    run.failureReason().ifPresent(reason -> node.put("failureReason", reason));
    if (!run.validationErrors().isEmpty()) {
      ArrayNode errors = node.putArray("validationErrors");
      run.validationErrors().forEach(errors::add);
    }
    node.setAll((ObjectNode) MAPPER.valueToTree(run.counters().fields(RunCounters.ITEM_OPERATIONS)));
  }

  private static void putIf(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  // ---- reading back: the tree has passed the schema, so every required field is there ----

  static StatusReport read(JsonNode root) {
    JsonNode pass = root.get("pass");
    JsonNode source = root.get("source");
    return new StatusReport(
        instant(pass.get("finishedAt")),
        Duration.parse(pass.get("took").stringValue()),
        source.optional("applied").map(StatusJson::revision),
        source.optional("rejected").map(rejected -> new StatusReport.Rejection(revision(rejected),
            list(rejected.get("errors"), StatusJson::diagnostic),
            rejected.optional("errorCount").map(JsonNode::longValue).orElse(0L))),
        source.optional("problem").map(JsonNode::stringValue),
        list(root.get("clusters"), StatusJson::cluster),
        list(root.get("backups"), node -> workflow(Kind.BACKUP, node)),
        list(root.get("restores"), node -> workflow(Kind.RESTORE, node)),
        list(root.get("migrations"), node -> workflow(Kind.MIGRATE, node)),
        pass.optional("interval").map(interval -> Duration.parse(interval.stringValue())));
  }

  private static Revision revision(JsonNode node) {
    return new Revision(node.get("branch").stringValue(), node.get("sha").stringValue(),
        node.optional("committedAt").map(StatusJson::instant).orElse(null));
  }

  private static Diagnostic diagnostic(JsonNode node) {
    return new Diagnostic(
        new SourceLocation(node.get("file").stringValue(), node.get("line").intValue(), node.get("column").intValue()),
        Severity.valueOf(node.get("severity").stringValue().toUpperCase(Locale.ROOT)),
        node.get("message").stringValue());
  }

  private static ClusterState cluster(JsonNode node) {
    JsonNode velero = node.get("velero");
    JsonNode apply = node.get("lastApply");
    return new ClusterState(
        node.get("name").stringValue(),
        node.get("fleet").stringValue(),
        node.get("reachable").booleanValue(),
        string(node, "error").map(message -> new MemberFailure(reason(node), message)),
        velero.get("ready").booleanValue(),
        string(velero, "version"),
        string(node, "backupLocationPhase").orElse(null),
        new ClusterState.ApplySummary(apply.get("created").intValue(), apply.get("configured").intValue(),
            apply.get("deleted").intValue(), apply.get("unchanged").intValue()),
        node.optional("warnings").map(warnings -> list(warnings, w -> new ClusterState.Warning(w.get("reason").stringValue(),
            w.get("what").stringValue(), w.get("message").stringValue(), w.optional("since").map(StatusJson::instant))))
            .orElse(List.of()));
  }

  /** A status file of another version may name a reason this one does not know, or none. */
  private static MemberFailure.Reason reason(JsonNode cluster) {
    String name = string(cluster, "reason").orElse("");
    return Arrays.stream(MemberFailure.Reason.values()).filter(r -> r.name().equals(name)).findFirst()
        .orElse(MemberFailure.Reason.UNKNOWN);
  }

  private static WorkflowStatus workflow(Kind kind, JsonNode node) {
    return new WorkflowStatus(
        new ResourceId(kind, node.get("namespace").stringValue(), node.get("name").stringValue()),
        string(node, "phase").orElse(null),
        list(node.get("conditions"), StatusJson::condition),
        list(node.get("clusters"), StatusJson::clusterRun),
        string(node, "schedule"),
        list(node.get("problems"), JsonNode::stringValue),
        string(node, "backupName"));
  }

  private static Condition condition(JsonNode node) {
    return new Condition(
        node.get("type").stringValue(),
        Condition.Status.valueOf(node.get("status").stringValue()),
        string(node, "reason").orElse(null),
        string(node, "message").orElse(null),
        node.optional("lastTransitionTime").map(StatusJson::instant).orElse(null));
  }

  private static ClusterRun clusterRun(JsonNode node) {
    String cluster = node.get("cluster").stringValue();
    return new ClusterRun(
        cluster,
        node.get("role").stringValue(),
        string(node, "veleroName"),
        node.optional("current").map(run -> veleroRun(run, cluster)),
        node.optional("lastCompleted").map(run -> veleroRun(run, cluster)),
        string(node, "waitingFor"),
        node.optional("history").map(history -> list(history, run -> veleroRun(run, cluster))).orElse(List.of()));
  }

  private static VeleroRun veleroRun(JsonNode node, String cluster) {
    return new VeleroRun(
        string(node, "cluster").orElse(cluster),
        node.get("name").stringValue(),
        node.get("phase").stringValue(),
        node.optional("started").map(StatusJson::instant),
        node.optional("completed").map(StatusJson::instant),
        node.optional("expiration").map(StatusJson::instant),
        node.get("totalItems").intValue(),
        node.get("itemsDone").intValue(),
        node.get("errors").intValue(),
        node.get("warnings").intValue(),
        string(node, "failureReason"),
        node.optional("validationErrors").map(errors -> list(errors, JsonNode::stringValue)).orElse(List.of()),
        RunCounters.read(field -> node.path(field).asInt(0), field -> node.path(field).asString(""),
            field -> node.path("hookStatus").path(field).asInt(0), RunCounters.ITEM_OPERATIONS));
  }

  private static Optional<String> string(JsonNode node, String key) {
    return node.optional(key).map(JsonNode::stringValue);
  }

  private static Instant instant(JsonNode node) {
    return Instant.parse(node.stringValue());
  }

  private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
    List<T> out = new ArrayList<>();
    for (JsonNode node : array.values()) {
      out.add(element.apply(node));
    }
    return out;
  }
}
