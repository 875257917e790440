package dev.fleetbackup.bench;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.TestFleet;
import dev.fleetbackup.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one apply pass costs on a real fleet of three members with Velero: the first pass (which
 * installs Velero), then steady-state passes — time, API requests per member (none of them a
 * write), and heap. Prints figures; asserts nothing. Run with {@code make bench}.
 */
public final class PassBenchmark {
  static final int STEADY_PASSES = 10;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("fb-bench");
    try (TestFleet fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(3).withVeleroNode())) {
      System.out.printf("fleet of 3 members up in %.1f s%n", fleet.startupTime().toMillis() / 1000.0);
      FleetRepo repo = new FleetRepo(dir.resolve("repo"), fleet.s3()).nightly("0 2 * * *", "shop").selectLabels("shop");
      FleetRepo.writeSecrets(dir.resolve("secrets"), fleet.s3());
      Pipeline pipeline = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS),
          new MemberClients(MemberClients.Limits.DEFAULTS), Duration.ofMinutes(5),
          Clock.systemUTC());
      PolicySet policies = pipeline.validate(new DirectoryReader(repo.dir).read("bench", "")).policies();
      Pipeline.Request request = new Pipeline.Request(
          new KubeconfigDir(fleet.kubeconfigDir(), new LocalSecretsDir(dir.resolve("secrets"))), Selection.ALL,
          new Pipeline.Apply(ApplyOptions.DEFAULTS));

      long start = System.nanoTime();
      print("first pass (installs Velero)", pipeline.run(policies, request), System.nanoTime() - start);
      List<Long> times = new ArrayList<>();
      PassOutcome last = null;
      for (int i = 0; i < STEADY_PASSES; i++) {
        start = System.nanoTime();
        last = pipeline.run(policies, request);
        times.add(System.nanoTime() - start);
      }
      Collections.sort(times);
      print("steady-state pass, median of " + STEADY_PASSES, last, times.get(times.size() / 2));
      System.out.printf("steady-state pass, slowest: %.2f s%n", times.get(times.size() - 1) / 1e9);
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf("heap used after the passes: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }

  private static void print(String what, PassOutcome outcome, long nanos) {
    System.out.printf("%s: %.2f s%n", what, nanos / 1e9);
    for (PassOutcome.Member member : outcome.members()) {
      System.out.printf("  %s: %s%n", member.cluster(), member.outcome() instanceof MemberOutcome.Applied applied
          ? applied.requests().toString() : member.outcome().toString());
    }
  }
}
