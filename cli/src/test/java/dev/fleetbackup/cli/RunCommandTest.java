package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private RunCommand parse(String... args) {
    CommandLine commandLine = Main.commandLine(new PrintWriter(out), new PrintWriter(err), Components.standard());
    CommandLine.ParseResult result = commandLine.parseArgs(args);
    return (RunCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void leaseTimingsDefaultToFluxs() {
    RunCommand run = parse("run", "--repo", "https://example.com/fleet.git", "--enable-leader-election");

    assertThat(new Leadership.Timings(run.leaseDuration, run.renewDeadline, run.retryPeriod)).isEqualTo(Leadership.Timings.FLUX);
  }

  @Test
  void leaseTimingsReadAsGoWritesThem() {
    RunCommand run = parse("run", "--repo", "https://example.com/fleet.git", "--enable-leader-election",
        "--leader-election-lease-duration", "1m", "--leader-election-renew-deadline", "45s",
        "--leader-election-retry-period", "2500ms");

    assertThat(run.leaseDuration).isEqualTo(Duration.ofMinutes(1));
    assertThat(run.renewDeadline).isEqualTo(Duration.ofSeconds(45));
    assertThat(run.retryPeriod).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void leaseTimingsThatCouldGiveTwoLeadersAreAUsageError() {
    int exit = Main.run(new String[] {"run", "--repo", dir.toString(), "--secrets-dir", dir.toString(),
        "--work-dir", dir.resolve("work").toString(), "--enable-leader-election", "--leader-election-namespace", "ns",
        "--leader-election-lease-duration", "10s", "--leader-election-renew-deadline", "15s"},
        new PrintWriter(out), new PrintWriter(err));

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(err.toString()).contains("leader election: lease duration (PT10S) must be longer than the renew deadline (PT15S)");
  }
}
