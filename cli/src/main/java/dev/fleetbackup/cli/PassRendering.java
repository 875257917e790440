package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.diff.PlanComparison;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.report.TerminalView;
import dev.fleetbackup.validate.ValidationReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Diff and apply results as text for people and JSON for machines. Only Secret-masked diffs reach
 * here. Names, notes and messages in the text come from the config repo and the clusters: each goes
 * through {@link SafeText} (and a diff line by line), so every printed line is one of ours.
 */
final class PassRendering {
  private PassRendering() {}

  /** An invalid config repo: the diagnostics, as {@code validate} prints them. */
  static void invalid(ValidationReport report, OutputFormat format, PrintWriter out) {
    if (format.structured()) {
      out.println(Json.write(ValidateCommand.toJson(report), format));
    } else {
      report.diagnostics().forEach(d -> out.println(DiagnosticLine.render(d)));
      report.omittedLine().ifPresent(out::println);
      out.println(report.summary());
    }
  }

  // --- diff --------------------------------------------------------------------------------

  /**
   * One line per object ({@code cluster  Kind/ns/name  action}; unchanged ones only with
   * {@code showUnchanged}), then the diffs, one section per cluster, then a summary.
   */
  static void diffText(PassOutcome outcome, boolean showUnchanged, PrintWriter out) {
    diffObjects(outcome, showUnchanged, true, out);
    diffSummaryLine(outcome, showUnchanged, out);
  }

  /** The lines of {@link #diffText}, then its diffs when {@code sections} (not with an external diff program). */
  static void diffObjects(PassOutcome outcome, boolean showUnchanged, boolean sections, PrintWriter out) {
    int width = outcome.members().stream().mapToInt(m -> safe(m.cluster()).length()).max().orElse(0);
    List<String> diffs = new ArrayList<>();
    for (PassOutcome.Member m : outcome.members()) {
      String cluster = pad(safe(m.cluster()), width);
      if (m.outcome() instanceof MemberOutcome.Failed f) {
        out.println(cluster + "  error      " + safe(f.why().message()));
        continue;
      }
      m.outcome().warnings().forEach(w -> out.println(cluster + "  warning    " + safe(w.message())));
      ChangeSet changes = m.outcome().changeSet().orElseThrow();
      changes.changes().forEach(c -> changeLine(cluster, c, showUnchanged, out));
      for (ObjectFailure f : changes.failures()) {
        out.println(cluster + "  " + safe(f.ref()) + "  error  " + safe(f.reason() + ": " + f.message()));
      }
      StringBuilder section = new StringBuilder();
      for (Change c : changes.changes()) {
        if (sections && !c.diff().isEmpty()) {
          section.append(diffSection(m.cluster(), c, "live", "after apply"));
        }
      }
      if (!section.isEmpty()) {
        diffs.add(section.toString());
      }
    }
    for (String section : diffs) {
      out.println();
      out.print(section);
    }
    out.println();
  }

  /** The summary of {@link #diffText}. */
  static void diffSummaryLine(PassOutcome outcome, boolean showUnchanged, PrintWriter out) {
    long unchanged = outcome.members().stream().flatMap(m -> m.outcome().changeSet().stream())
        .flatMap(c -> c.changes().stream()).filter(c -> c.action() == Action.UNCHANGED).count();
    out.println(diffSummary(outcome) + unlisted(unchanged, showUnchanged));
  }

  /** An object's line: {@code cluster  Kind/ns/name  action}, an unchanged one only with {@code showUnchanged}. */
  private static void changeLine(String paddedCluster, Change c, boolean showUnchanged, PrintWriter out) {
    if (showUnchanged || c.action() != Action.UNCHANGED) {
      out.println(paddedCluster + "  " + safe(c.ref()) + "  " + c.action().word() + note(c));
    }
  }

  /** A unified diff of one object, its two sides named {@code from} and {@code to}. */
  private static String diffSection(String cluster, Change c, String from, String to) {
    String object = safe(cluster) + " " + safe(c.ref());
    return "--- " + object + " (" + from + ")\n+++ " + object + " (" + to + ")\n" + diffLines(c.diff());
  }

  private static String unlisted(long unchanged, boolean showUnchanged) {
    return showUnchanged || unchanged == 0 ? "" : "; " + plural(unchanged, "unchanged object") + " not listed (--show-unchanged)";
  }

  /**
   * {@code diff --offline}: the lines and sections of {@code diff}, each object as the policies at
   * {@code base} and in the working tree plan it, then what was compared.
   */
  static void offlineDiffText(String base, ValidationReport before, List<PlanComparison.MemberChanges> members, boolean showUnchanged,
      PrintWriter out) {
    if (!before.valid()) {
      out.println("warning: " + safe(base) + " is not a valid config repo (" + plural(before.errorCount(), "error")
          + "): every object is compared with none");
    }
    int width = members.stream().mapToInt(m -> safe(m.cluster()).length()).max().orElse(0);
    StringBuilder sections = new StringBuilder();
    long differences = 0;
    int clustersWithDifferences = 0;
    long unchanged = 0;
    for (PlanComparison.MemberChanges m : members) {
      String cluster = pad(safe(m.cluster()), width);
      long n = 0;
      for (Change c : m.changes()) {
        n += c.action().isDifference() ? 1 : 0;
        unchanged += c.action() == Action.UNCHANGED ? 1 : 0;
        changeLine(cluster, c, showUnchanged, out);
        if (!c.diff().isEmpty()) {
          sections.append('\n').append(diffSection(m.cluster(), c, safe(base), "working tree"));
        }
      }
      differences += n;
      clustersWithDifferences += n > 0 ? 1 : 0;
    }
    out.print(sections);
    out.println();
    String summary = differences == 0 ? "no differences in " + plural(members.size(), "cluster")
        : plural(differences, "difference") + " in " + plural(clustersWithDifferences, "cluster");
    out.println(summary + " between " + safe(base) + " and the working tree, from the policies alone (no cluster was read)"
        + unlisted(unchanged, showUnchanged));
  }

  /** {@code diff --offline -o json}. */
  static Map<String, Object> offlineJson(String base, boolean baseValid, String head, List<PlanComparison.MemberChanges> members) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("base", base);
    json.put("baseValid", baseValid);
    json.put("head", head);
    json.put("clusters", members.stream().map(m -> {
      Map<String, Object> cluster = new LinkedHashMap<>();
      cluster.put("cluster", m.cluster());
      cluster.put("changes", m.changes().stream().map(c -> {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("object", c.ref().toString());
        change.put("action", c.action().word());
        if (!c.note().isEmpty()) {
          change.put("note", c.note());
        }
        if (!c.diff().isEmpty()) {
          change.put("diff", c.diff());
        }
        return change;
      }).toList());
      return cluster;
    }).toList());
    return json;
  }

  /** What the diff found; a cluster that failed is counted as failed, never as one without differences. */
  static String diffSummary(PassOutcome outcome) {
    long differences = 0;
    int clustersWithDifferences = 0;
    long failed = outcome.members().stream().filter(PassOutcome.Member::failed).count();
    long answered = outcome.members().size() - failed;
    for (PassOutcome.Member m : outcome.members()) {
      long n = m.outcome().changeSet().map(c -> c.differences().size()).orElse(0);
      differences += n;
      clustersWithDifferences += n > 0 ? 1 : 0;
    }
    if (failed > 0 && answered == 0) {
      return plural(failed, "cluster") + " failed; none could be diffed";
    }
    String summary = differences == 0 ? "no differences in " + plural(answered, "cluster")
        : plural(differences, "difference") + " in " + plural(clustersWithDifferences, "cluster");
    return failed == 0 ? summary : summary + ", " + plural(failed, "cluster") + " failed";
  }

  // --- apply -------------------------------------------------------------------------------

  /**
   * Per cluster: what was written, skipped or refused, and a count line with the requests sent;
   * then every backup, restore and migration as the clusters show it after the pass.
   */
  static void applyText(PassOutcome outcome, PrintWriter out) {
    for (PassOutcome.Member m : outcome.members()) {
      out.println(safe(m.cluster()));
      MemberOutcome result = m.outcome();
      result.warnings().forEach(w -> out.println("  warning     " + safe(w.message())));
      if (result instanceof MemberOutcome.Failed f) {
        out.println("  error       " + safe(f.why().message()));
      } else if (result instanceof MemberOutcome.Refused r) {
        out.println("  refused     " + safe(r.refusal().message()));
        r.refusal().failures().forEach(f -> out.println("  error       " + safe(f)));
      } else if (result instanceof MemberOutcome.Applied a) {
        for (Change c : a.result().changes()) {
          if (c.action() != Action.UNCHANGED) {
            String word = c.action() == Action.CONFIGURED ? "configured" : c.action().word();
            out.println("  " + pad(word, 10) + "  " + safe(c.ref()) + note(c));
          }
        }
        a.result().failures().forEach(f -> out.println("  error       " + safe(f)));
        a.result().stoppedAnswering().ifPresent(f -> out.println("  error       " + safe(f.message())));
        ClusterState.ApplySummary counts = a.written();
        out.println("  " + counts.created() + " created, " + counts.configured() + " configured, " + counts.deleted()
            + " deleted, " + counts.unchanged() + " unchanged" + (a.result().inventoryWritten() ? ", inventory updated" : "")
            + "; " + a.requests() + " in " + seconds(a.took()));
      }
    }
    String workflows = new TerminalView().workflows(report(outcome));
    if (!workflows.isEmpty()) {
      out.print(workflows);
    }
  }

  /** The outcome as the status page reads it, for the workflows' sections. */
  private static StatusReport report(PassOutcome outcome) {
    return new StatusReport(Instant.EPOCH, Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(),
        outcome.clusters(), outcome.backups(), outcome.restores(), outcome.migrations());
  }

  // --- JSON --------------------------------------------------------------------------------

  /**
   * Every member ({@code status} ok, error or refused; a failure's {@code reason}, {@code message}
   * and {@code retryable}; its {@code warnings}, when it has some), and the backups, restores and
   * migrations as {@code status.json} has them.
   */
  static Map<String, Object> json(String revision, PassOutcome outcome) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("revision", revision);
    List<Map<String, Object>> clusters = new ArrayList<>();
    for (PassOutcome.Member m : outcome.members()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("cluster", m.cluster());
      MemberOutcome result = m.outcome();
      c.put("status", result instanceof MemberOutcome.Refused ? "refused" : m.failed() ? "error" : "ok");
      m.failure().ifPresent(f -> {
        c.put("reason", f.reason().name());
        c.put("message", f.message());
        c.put("retryable", f.retryable());
      });
      if (!result.warnings().isEmpty()) {
        c.put("warnings", result.warnings().stream().map(w -> {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("reason", w.reason());
          o.put("message", w.message());
          w.since().ifPresent(since -> o.put("since", since.toString()));
          return o;
        }).toList());
      }
      if (result instanceof MemberOutcome.Diffed d) {
        c.put("objects", changes(d.changes().changes()));
        c.put("failures", failures(d.changes().failures()));
        c.put("requests", requests(d.requests()));
        c.put("durationMs", d.took().toMillis());
      } else if (result instanceof MemberOutcome.Refused r) {
        c.put("failures", failures(r.refusal().failures()));
        c.put("requests", requests(r.requests()));
        c.put("durationMs", r.took().toMillis());
      } else if (result instanceof MemberOutcome.Applied a) {
        c.put("objects", changes(a.result().changes()));
        c.put("failures", failures(a.result().failures()));
        c.put("inventoryWritten", a.result().inventoryWritten());
        c.put("requests", requests(a.requests()));
        c.put("durationMs", a.took().toMillis());
      }
      clusters.add(c);
    }
    root.put("clusters", clusters);
    JsonNode status = Json.MAPPER.readTree(new StatusFiles().render(report(outcome)).get(StatusFiles.STATUS_JSON));
    for (String workflows : List.of("backups", "restores", "migrations")) {
      root.put(workflows, status.get(workflows));
    }
    return root;
  }

  private static List<Map<String, Object>> changes(List<Change> changes) {
    return changes.stream().map(ch -> {
      Map<String, Object> o = ref(ch.ref());
      o.put("action", ch.action().name().toLowerCase(Locale.ROOT));
      if (!ch.note().isEmpty()) {
        o.put("note", ch.note());
      }
      if (!ch.diff().isEmpty()) {
        o.put("diff", ch.diff());
      }
      return o;
    }).toList();
  }

  private static List<Map<String, Object>> failures(List<ObjectFailure> failures) {
    return failures.stream().map(f -> {
      Map<String, Object> o = ref(f.ref());
      o.put("reason", f.reason());
      o.put("message", f.message());
      return o;
    }).toList();
  }

  private static Map<String, Object> ref(ObjectRef ref) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", ref.kind().apiVersion());
    o.put("kind", ref.kind().kind());
    if (!ref.namespace().isEmpty()) {
      o.put("namespace", ref.namespace());
    }
    o.put("name", ref.name());
    return o;
  }

  private static Map<String, Object> requests(RequestCount r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("reads", r.reads());
    o.put("dryRuns", r.dryRuns());
    o.put("writes", r.writes());
    return o;
  }

  private static String safe(Object text) {
    return SafeText.oneLine(String.valueOf(text));
  }

  private static String note(Change c) {
    return c.note().isEmpty() ? "" : "  (" + safe(c.note()) + ")";
  }

  /**
   * A unified diff as printed: each line keeps the {@code +}, {@code -} or blank that starts it,
   * and the YAML after it is escaped like any other text, so a value cannot begin a line of its own.
   */
  private static String diffLines(String diff) {
    return Arrays.stream(diff.split("\n", -1)).map(line -> {
      boolean marked = !line.isEmpty() && "+- ".indexOf(line.charAt(0)) >= 0;
      return marked ? line.charAt(0) + SafeText.oneLine(line.substring(1)) : SafeText.oneLine(line);
    }).collect(Collectors.joining("\n"));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
