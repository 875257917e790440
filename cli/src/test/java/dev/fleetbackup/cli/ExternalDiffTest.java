package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** diff with {@code $KUBECTL_EXTERNAL_DIFF}: the program gets two folders as argv, never a shell, and its status is honoured. */
class ExternalDiffTest {
  private static final ObjectRef SCHEDULE = new ObjectRef(ManagedKind.SCHEDULE, "velero", "kurator-member1-backup-default-nightly");
  private static final ObjectRef NAMESPACE = ObjectRef.clusterScoped(ManagedKind.NAMESPACE, "velero");

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static PassOutcome outcome() {
    List<Change> changes = List.of(
        new Change(SCHEDULE, Action.CONFIGURED, "", "@@ -1,1 +1,1 @@\n-schedule: 0 1 * * *\n+schedule: 0 2 * * *\n", Optional.empty(),
            "spec:\n  schedule: 0 1 * * *\n", "spec:\n  schedule: 0 2 * * *\n"),
        new Change(NAMESPACE, Action.CREATED, "", "@@ -0,0 +1,1 @@\n+metadata: {}\n", Optional.empty(), "", "metadata: {}\n"),
        new Change(new ObjectRef(ManagedKind.SCHEDULE, "velero", "same"), Action.UNCHANGED, "", "", Optional.empty()));
    MemberOutcome member = new MemberOutcome.Diffed("kurator-member1", new ChangeSet("kurator-member1", changes, List.of(),
        Inventory.EMPTY, List.of(), null), new RequestCount(5, 1, 0), Duration.ofMillis(300));
    return new PassOutcome(List.of(new PassOutcome.Member("kurator-member1", "default/quickstart", member, Optional.empty())),
        List.of(), List.of(), List.of());
  }

  /** A program that records its arguments and the two folders it was given, then exits {@code exit}. */
  private Path recorder(int exit) throws Exception {
    Path script = dir.resolve("record-diff");
    Files.writeString(script, """
        #!/bin/sh
        printf '%%s\\n' "$@" > "%1$s/argv"
        for a; do live="$merged"; merged="$a"; done
        cp -R "$live" "%1$s/live"
        cp -R "$merged" "%1$s/merged"
        echo "the external diff ran"
        exit %2$d
        """.formatted(dir, exit));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private int diff(String externalDiff) {
    Validator validator = new Validator();
    DiffCommand command = new DiffCommand(guardrails -> new PassCommand.Runner() {
      @Override
      public ValidationReport validate(PolicySnapshot snapshot) {
        return validator.validate(snapshot);
      }

      @Override
      public PassOutcome run(PolicySet policies, Pipeline.Request request) {
        return outcome();
      }

      @Override
      public FleetPlan plan(PolicySet policies) {
        throw new AssertionError("not offline");
      }
    });
    command.environment = Map.of(ExternalDiff.ENV, externalDiff);
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute("--repo", "sample-repo", "--kubeconfig-dir", dir.toString());
  }

  @Test
  void theProgramGetsTheLiveAndMergedFoldersOfEachClusterAsArguments() throws Exception {
    Path script = recorder(1);

    int exit = diff(script + " -N -u --color=always $(touch;pwned) ;rm");

    assertThat(exit).as("differences, as fleet-backup found them").isEqualTo(1);
    List<String> argv = Files.readAllLines(dir.resolve("argv"));
    assertThat(argv).hasSize(5).startsWith("-N", "-u", "--color=always");
    assertThat(Path.of(argv.get(3))).hasFileName("live");
    assertThat(Path.of(argv.get(4))).hasFileName("merged");
    assertThat(Path.of(argv.get(3)).getParent()).as("removed after the program ran").doesNotExist();
    assertThat(dir.resolve("live/kurator-member1/Schedule.velero.kurator-member1-backup-default-nightly.yaml"))
        .hasContent("spec:\n  schedule: 0 1 * * *");
    assertThat(dir.resolve("merged/kurator-member1/Schedule.velero.kurator-member1-backup-default-nightly.yaml"))
        .hasContent("spec:\n  schedule: 0 2 * * *");
    assertThat(dir.resolve("live/kurator-member1/Namespace.velero.yaml")).as("not live yet").doesNotExist();
    assertThat(dir.resolve("merged/kurator-member1/Namespace.velero.yaml")).exists();
    assertThat(dir.resolve("live/kurator-member1/Schedule.velero.same.yaml")).as("unchanged").doesNotExist();
    assertThat(out.toString()).contains("kurator-member1  Schedule/velero/kurator-member1-backup-default-nightly  changed\n")
        .contains("the external diff ran\n2 differences in 1 cluster")
        .doesNotContain("(live)");
  }

  @Test
  void aProgramThatExitsAboveOneIsAnError() throws Exception {
    Path script = recorder(3);

    assertThat(diff(script.toString())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("fleet-backup: $KUBECTL_EXTERNAL_DIFF program " + script + " exited 3\n");
    assertThat(out.toString()).contains("2 differences in 1 cluster");

    assertThat(diff(dir.resolve("no-such-program").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("$KUBECTL_EXTERNAL_DIFF program " + dir.resolve("no-such-program") + " could not be run");
  }
}
