package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Timeouts;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --timeout stops a pass that runs too long; --request-timeout and --member-timeout reach the pass as they were given. */
class CommandTimeoutTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Pipeline.Request> requests = new ArrayList<>();
  private final CountDownLatch interrupted = new CountDownLatch(1);

  /** A pass that waits until it is interrupted, and then reports its member interrupted, as the pipeline does. */
  private PassCommand.Runner hanging() {
    Validator validator = new Validator();
    return new PassCommand.Runner() {
      @Override
      public ValidationReport validate(PolicySnapshot snapshot) {
        return validator.validate(snapshot);
      }

      @Override
      public PassOutcome run(PolicySet policies, Pipeline.Request request) {
        requests.add(request);
        try {
          Thread.sleep(Duration.ofMinutes(5).toMillis());
        } catch (InterruptedException e) {
          interrupted.countDown();
        }
        MemberOutcome stopped = new MemberOutcome.Failed("kurator-member1", MemberFailure.Reason.INTERRUPTED, "interrupted");
        return new PassOutcome(List.of(new PassOutcome.Member("kurator-member1", "default/quickstart", stopped, Optional.empty())),
            List.of(), List.of(), List.of());
      }

      @Override
      public FleetPlan plan(PolicySet policies) {
        throw new AssertionError("not offline");
      }
    };
  }

  private int apply(String... args) {
    CommandLine commandLine = new CommandLine(new ApplyCommand(guardrails -> hanging()));
    commandLine.registerConverter(Duration.class, Main::duration);
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("--repo", "sample-repo", "--kubeconfig-dir", dir.toString()));
    all.addAll(List.of(args));
    return commandLine.execute(all.toArray(String[]::new));
  }

  @Test
  void timeoutStopsThePassAndReportsWhatItHas() {
    long start = System.nanoTime();

    int exit = apply("--timeout", "1s", "--request-timeout", "7s", "--member-timeout", "90s");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(exit).isEqualTo(2);
    assertThat(interrupted.getCount()).as("the pass was interrupted").isZero();
    assertThat(err.toString()).contains("fleet-backup: apply did not finish within --timeout 1s; the members still being worked on"
        + " were stopped\n");
    assertThat(out.toString()).contains("kurator-member1\n  error       interrupted");
    assertThat(requests).singleElement().extracting(Pipeline.Request::timeouts)
        .isEqualTo(Timeouts.of(Duration.ofSeconds(7), Duration.ofSeconds(90)));
  }
}
