package dev.fleetbackup.workflows;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * WorkflowsIT's reconciler, built from nothing: in the test's JVM for every restart, and here, in a
 * JVM of its own, for the one the test kills (SIGKILL) in the middle of a pass. Run as a program it
 * runs passes over a config folder until it is killed, printing {@code pass N done} after each.
 *
 * <p>Arguments: the config folder, the kubeconfig folder ({@code <cluster>.config}), the Secrets folder.
 */
final class ReconcilerProcess {
  private ReconcilerProcess() {}

  public static void main(String[] args) throws IOException {
    Path repo = Path.of(args[0]);
    FleetPass pass = newPass(credentials(Path.of(args[1]), Path.of(args[2])));
    for (int n = 1; ; n++) {
      pass.run(policies(repo));
      System.out.println("pass " + n + " done");
      System.out.flush();
    }
  }

  static CredentialSource credentials(Path kubeconfigDir, Path secretsDir) {
    return new KubeconfigDir(kubeconfigDir, new LocalSecretsDir(secretsDir));
  }

  /** A new pass with new clients, planner and status builder: nothing of an earlier one is kept. */
  static FleetPass newPass(CredentialSource credentials) {
    Planner planner = new Planner(PlanSettings.DEFAULTS);
    Pipeline pipeline = new Pipeline(new Validator(), planner, new MemberClients(MemberClients.Limits.DEFAULTS), Duration.ofMinutes(3), Clock.systemUTC());
    Pipeline.Request request = new Pipeline.Request(credentials, Selection.ALL,
        new Pipeline.Apply(new ApplyOptions(0.5, ApplyOptions.Deletes.GUARDED, Duration.ofSeconds(90))));
    return policies -> pipeline.run(policies, request);
  }

  static PolicySet policies(Path repo) throws IOException {
    ValidationReport report = new Validator().validate(new DirectoryReader(repo).read("test", ""));
    if (!report.valid()) {
      throw new IllegalStateException("the config folder is invalid: " + report.diagnostics());
    }
    return report.policies();
  }
}
