package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.MemberResult;
import dev.fleetbackup.pipeline.PassReport;
import dev.fleetbackup.plan.ObjectRef;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Diff and apply results as text for people and JSON for machines. Only Secret-masked diffs reach
 * here. Names, notes and messages in the text come from the config repo and the clusters: each goes
 * through {@link SafeText} (and a diff line by line), so every printed line is one of ours.
 */
final class PassRendering {
  private PassRendering() {}

  /** An invalid config repo: the diagnostics, as {@code validate} prints them. */
  static void invalid(dev.fleetbackup.validate.ValidationReport report, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.json) {
      out.println(Json.MAPPER.writeValueAsString(ValidateCommand.toJson(report)));
    } else {
      report.diagnostics().forEach(d -> out.println(DiagnosticLine.render(d)));
      report.omittedLine().ifPresent(out::println);
      out.println(report.summary());
    }
  }

  // --- diff --------------------------------------------------------------------------------

  /** One line per object ({@code cluster  Kind/ns/name  action}), then the diffs, one section per cluster, then a summary. */
  static void diffText(PassReport.Completed report, PrintWriter out) {
    int width = report.members().stream().mapToInt(m -> safe(m.cluster()).length()).max().orElse(0);
    List<String> sections = new ArrayList<>();
    for (MemberResult m : report.members()) {
      String cluster = safe(m.cluster());
      if (m instanceof MemberResult.Failed f) {
        out.println(pad(cluster, width) + "  error      " + safe(f.message()));
        continue;
      }
      ChangeSet changes = ((MemberResult.Diffed) m).changes();
      for (Change c : changes.changes()) {
        out.println(pad(cluster, width) + "  " + safe(c.ref()) + "  " + c.action().word() + note(c));
      }
      for (ObjectFailure f : changes.failures()) {
        out.println(pad(cluster, width) + "  " + safe(f.ref()) + "  error  " + safe(f.reason() + ": " + f.message()));
      }
      StringBuilder section = new StringBuilder();
      for (Change c : changes.changes()) {
        if (!c.diff().isEmpty()) {
          section.append("--- ").append(cluster).append(' ').append(safe(c.ref())).append(" (live)\n")
              .append("+++ ").append(cluster).append(' ').append(safe(c.ref())).append(" (after apply)\n")
              .append(diffLines(c.diff()));
        }
      }
      if (!section.isEmpty()) {
        sections.add(section.toString());
      }
    }
    for (String section : sections) {
      out.println();
      out.print(section);
    }
    out.println();
    out.println(diffSummary(report));
  }

  static String diffSummary(PassReport.Completed report) {
    long differences = 0;
    int clustersWithDifferences = 0;
    int failed = 0;
    for (MemberResult m : report.members()) {
      if (m instanceof MemberResult.Diffed d) {
        long n = d.changes().differences().size();
        differences += n;
        clustersWithDifferences += n > 0 ? 1 : 0;
        failed += d.changes().failures().isEmpty() ? 0 : 1;
      } else {
        failed++;
      }
    }
    String summary = differences == 0 ? "no differences in " + plural(report.members().size() - failed, "cluster")
        : plural(differences, "difference") + " in " + plural(clustersWithDifferences, "cluster");
    return failed == 0 ? summary : summary + ", " + plural(failed, "cluster") + " failed";
  }

  // --- apply -------------------------------------------------------------------------------

  /** Per cluster: what was written, skipped or refused, and a count line with the requests sent. */
  static void applyText(PassReport.Completed report, PrintWriter out) {
    for (MemberResult m : report.members()) {
      out.println(safe(m.cluster()));
      if (m instanceof MemberResult.Failed f) {
        out.println("  error       " + safe(f.message()));
        continue;
      }
      MemberResult.Applied a = (MemberResult.Applied) m;
      if (a.result() instanceof ApplyResult.Refused r) {
        out.println("  refused     " + safe(r.message()));
        r.failures().forEach(f -> out.println("  error       " + safe(f)));
        continue;
      }
      ApplyResult.Applied done = (ApplyResult.Applied) a.result();
      Map<Action, Integer> counts = new LinkedHashMap<>();
      for (Change c : done.changes()) {
        counts.merge(c.action(), 1, Integer::sum);
        if (c.action() != Action.UNCHANGED) {
          String word = c.action() == Action.CONFIGURED ? "configured" : c.action().word();
          out.println("  " + pad(word, 10) + "  " + safe(c.ref()) + note(c));
        }
      }
      done.failures().forEach(f -> out.println("  error       " + safe(f)));
      out.println("  " + counts.getOrDefault(Action.CREATED, 0) + " created, " + counts.getOrDefault(Action.CONFIGURED, 0)
          + " configured, " + counts.getOrDefault(Action.DELETED, 0) + " deleted, " + counts.getOrDefault(Action.UNCHANGED, 0)
          + " unchanged" + (done.inventoryWritten() ? ", inventory updated" : "") + "; " + a.requests() + " in "
          + seconds(a.took()));
    }
  }

  // --- JSON --------------------------------------------------------------------------------

  static Map<String, Object> json(PassReport.Completed report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("revision", report.revision());
    List<Map<String, Object>> clusters = new ArrayList<>();
    for (MemberResult m : report.members()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("cluster", m.cluster());
      if (m instanceof MemberResult.Failed f) {
        c.put("status", "error");
        c.put("reason", f.reason().name());
        c.put("message", f.message());
        c.put("retryable", f.retryable());
      } else if (m instanceof MemberResult.Diffed d) {
        c.put("status", d.changes().failures().isEmpty() ? "ok" : "error");
        c.put("objects", changes(d.changes().changes()));
        c.put("failures", failures(d.changes().failures()));
        c.put("requests", requests(d.requests()));
        c.put("durationMs", d.took().toMillis());
      } else if (m instanceof MemberResult.Applied a) {
        if (a.result() instanceof ApplyResult.Refused r) {
          c.put("status", "refused");
          c.put("reason", r.reason().name());
          c.put("message", r.message());
          c.put("failures", failures(r.failures()));
        } else {
          ApplyResult.Applied done = (ApplyResult.Applied) a.result();
          c.put("status", done.succeeded() ? "ok" : "error");
          c.put("objects", changes(done.changes()));
          c.put("failures", failures(done.failures()));
          c.put("inventoryWritten", done.inventoryWritten());
        }
        c.put("requests", requests(a.requests()));
        c.put("durationMs", a.took().toMillis());
      }
      clusters.add(c);
    }
    root.put("clusters", clusters);
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
