package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryOrigin;
import dev.fleetbackup.observe.ManagedFields;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** What diff and apply print when the clusters' answers and the repo's values are hostile. */
class PassRenderingTest {
  private static final String FORGED = "\n::error file=deploy/evil.yaml,line=1::forged\u001b[2J";
  private static final ObjectRef SCHEDULE = new ObjectRef(ManagedKind.SCHEDULE, "velero", "nightly");

  private static String printed(BiConsumer<PassOutcome, PrintWriter> rendering, PassOutcome report) {
    StringWriter out = new StringWriter();
    rendering.accept(report, new PrintWriter(out));
    return out.toString();
  }

  static PassOutcome outcome(MemberOutcome... members) {
    return new PassOutcome(List.of(members).stream().map(m -> new PassOutcome.Member(m.cluster(), "default/quickstart", m,
        Optional.empty())).toList(), List.of(), List.of(), List.of());
  }

  private static void assertEveryLineIsOurs(String printed) {
    assertThat(printed).doesNotContain("\u001b", "\r");
    assertThat(printed.lines()).noneMatch(line -> line.stripLeading().startsWith("::"));
  }

  @Test
  void aDiffShowsHostileValuesInsideItsOwnLines() {
    String diff = "@@ -1,2 +1,3 @@\n"
        + " spec:\n"
        + "-  schedule: 0 2 * * *\n"
        + "+  schedule: |-\n"
        + "+::error file=deploy/evil.yaml,line=1::forged\u001b[2J\n";
    Change changed = new Change(SCHEDULE, Action.CONFIGURED, "", diff, Optional.empty());
    Change skipped = new Change(new ObjectRef(ManagedKind.BACKUP, "velero", "once"), Action.SKIPPED, "kept" + FORGED, "",
        Optional.empty());
    ObjectFailure refused = new ObjectFailure(new ObjectRef(ManagedKind.SECRET, "velero", "creds"), "Invalid", "bad" + FORGED);
    PassOutcome report = outcome(
        new MemberOutcome.Diffed("kurator-member1", new ChangeSet("kurator-member1", List.of(changed, skipped), List.of(refused),
            Inventory.EMPTY, List.of(), null), new RequestCount(3, 2, 0), Duration.ofSeconds(1)),
        new MemberOutcome.Failed("kurator-member2", MemberFailure.Reason.UNREACHABLE, "dial tcp" + FORGED));

    String printed = printed((o, out) -> PassRendering.diffText(o, true, out), report);

    assertEveryLineIsOurs(printed);
    assertThat(printed.lines()).contains(
        "kurator-member1  Schedule/velero/nightly  changed",
        "kurator-member1  Backup/velero/once  skipped  (kept\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J)",
        "kurator-member1  Secret/velero/creds  error  Invalid: bad\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J",
        "kurator-member2  error      dial tcp\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J",
        "--- kurator-member1 Schedule/velero/nightly (live)",
        " spec:",
        "-  schedule: 0 2 * * *",
        "+\\x3a:error file=deploy/evil.yaml,line=1::forged\\x1b[2J");
  }

  @Test
  void anEditedInventoryIsAWarningLineInDiffApplyAndJsonNamingTheEditorOnItsOwnLine() {
    InventoryOrigin edited = new InventoryOrigin.Edited(Optional.of(new ManagedFields.Writer("kubectl-edit" + FORGED, "Update",
        Optional.of(Instant.parse("2026-12-02T03:10:00Z")))));
    ChangeSet changes = new ChangeSet("kurator-member1", List.of(), List.of(), Inventory.EMPTY, List.of(), null, edited);
    PassOutcome diffed = outcome(new MemberOutcome.Diffed("kurator-member1", changes, new RequestCount(3, 0, 0), Duration.ZERO));
    PassOutcome applied = outcome(new MemberOutcome.Applied("kurator-member1", changes,
        new ApplyResult.Applied("kurator-member1", List.of(), List.of(), true), new RequestCount(3, 0, 1), Duration.ZERO));
    String warning = "inventory kube-system/fleet-backup-inventory was edited by"
        + " kubectl-edit\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J (Update) at 2026-12-02T03:10:00Z, not by"
        + " fleet-backup: nothing is pruned in this cluster on this pass";

    String diff = printed((o, out) -> PassRendering.diffText(o, false, out), diffed);
    String apply = printed(PassRendering::applyText, applied);

    assertEveryLineIsOurs(diff + apply);
    assertThat(diff.lines()).anySatisfy(line -> assertThat(line).startsWith("kurator-member1  warning    " + warning));
    assertThat(apply.lines()).anySatisfy(line -> assertThat(line).startsWith("  warning     " + warning));
    Map<String, Object> cluster = clusters(PassRendering.json("main@sha1:abc", applied)).get(0);
    assertThat(cluster.get("warnings")).asInstanceOf(InstanceOfAssertFactories.list(Map.class)).singleElement()
        .satisfies(w -> assertThat(w.get("reason")).isEqualTo("InventoryEdited"))
        .satisfies(w -> assertThat(w.get("since")).isEqualTo("2026-12-02T03:10:00Z"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> clusters(Map<String, Object> json) {
    return (List<Map<String, Object>>) json.get("clusters");
  }

  @Test
  void unchangedObjectsAreCountedNotListedUnlessAskedFor() {
    Change changed = new Change(SCHEDULE, Action.CONFIGURED, "", "@@ -1 +1 @@\n-a\n+b\n", Optional.empty());
    Change unchanged = new Change(new ObjectRef(ManagedKind.SCHEDULE, "velero", "weekly"), Action.UNCHANGED, "", "",
        Optional.empty());
    PassOutcome report = outcome(new MemberOutcome.Diffed("kurator-member1", new ChangeSet("kurator-member1",
        List.of(changed, unchanged), List.of(), Inventory.EMPTY, List.of(), null), new RequestCount(3, 2, 0), Duration.ofSeconds(1)));

    String hidden = printed((o, out) -> PassRendering.diffText(o, false, out), report);
    String shown = printed((o, out) -> PassRendering.diffText(o, true, out), report);

    assertThat(hidden).contains("kurator-member1  Schedule/velero/nightly  changed").doesNotContain("weekly");
    assertThat(hidden.lines()).last().isEqualTo("1 difference in 1 cluster; 1 unchanged object not listed (--show-unchanged)");
    assertThat(shown).contains("kurator-member1  Schedule/velero/weekly  unchanged");
    assertThat(shown.lines()).last().isEqualTo("1 difference in 1 cluster");
  }

  @Test
  void whenEveryClusterFailedTheSummaryClaimsNoClusterWithoutDifferences() {
    PassOutcome report = outcome(
        new MemberOutcome.Failed("kurator-member1", MemberFailure.Reason.KUBECONFIG_REFUSED, "not valid YAML"),
        new MemberOutcome.Failed("kurator-member2", MemberFailure.Reason.UNREACHABLE, "connection refused"));

    assertThat(printed((o, out) -> PassRendering.diffText(o, false, out), report).lines()).last()
        .isEqualTo("2 clusters failed; none could be diffed");
  }

  @Test
  void applyShowsHostileMessagesOnOneLineEach() {
    ObjectFailure failure = new ObjectFailure(SCHEDULE, "Conflict", "owned by kubectl" + FORGED);
    PassOutcome report = outcome(
        new MemberOutcome.Refused("kurator-member1", null,
            new ApplyResult.Refused("kurator-member1", ApplyResult.Reason.DRY_RUN_FAILED, "dry run failed" + FORGED,
                List.of(failure)), new RequestCount(1, 1, 0), Duration.ofSeconds(1)),
        new MemberOutcome.Applied("::kurator-member2", null,
            new ApplyResult.Applied("::kurator-member2", List.of(new Change(SCHEDULE, Action.CREATED, "unverified" + FORGED, "",
                Optional.empty())), List.of(failure), true), new RequestCount(1, 1, 1), Duration.ofSeconds(1)));

    String printed = printed(PassRendering::applyText, report);

    assertEveryLineIsOurs(printed);
    assertThat(printed.lines()).contains(
        "  refused     dry run failed\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J",
        "  error       Schedule/velero/nightly Conflict: owned by kubectl\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J",
        "\\x3a:kurator-member2",
        "  created     Schedule/velero/nightly  (unverified\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J)");
  }

  @Test
  void applyNamesAMemberThatStoppedAnsweringBesideWhatItWroteBefore() {
    PassOutcome report = outcome(new MemberOutcome.Applied("kurator-member2", null, new ApplyResult.Applied("kurator-member2",
        List.of(new Change(SCHEDULE, Action.CREATED, "", "", Optional.empty())),
        List.of(new ObjectFailure(SCHEDULE, "ApplyFailed", "IOException: Connection refused")), false,
        Optional.of(new MemberFailure(MemberFailure.Reason.UNREACHABLE, "cannot reach https://127.0.0.1:6443: IOException: Connection refused"))),
        new RequestCount(1, 1, 2), Duration.ofSeconds(1)));

    assertThat(printed(PassRendering::applyText, report).lines()).containsSequence(
        "  created     Schedule/velero/nightly",
        "  error       Schedule/velero/nightly ApplyFailed: IOException: Connection refused",
        "  error       cannot reach https://127.0.0.1:6443: IOException: Connection refused");
  }
}
