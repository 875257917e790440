package dev.fleetbackup.sandbox;

import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "sandbox",
    description = {"Try the whole product on this machine, no cluster of your own needed.",
        "Real member clusters (kube-apiserver, etcd, Velero) and an S3 server start locally, a config repo is seeded from",
        "sample-repo/, and the reconciler runs on it: it installs Velero, takes the backups, restores, and migrates the demo",
        "application. Ctrl-C stops everything. Needs the test kit's binaries (make testkit; make run builds them)."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the demo finished with every workflow Completed", "1:a workflow failed or the demo timed out (--once)",
        "2:usage or internal error"})
public final class SandboxCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--members", paramLabel = "N", description = "Member clusters (at least 3; default: ${DEFAULT-VALUE}).")
  int members = 3;

  @Option(names = "--dir", paramLabel = "DIR", description = "Keeps the config repo and its status branch between runs (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of(".sandbox");

  @Option(names = "--sample", paramLabel = "DIR", description = "The config repo to seed from (default: ${DEFAULT-VALUE}).")
  Path sample = Path.of("sample-repo");

  // defaults as strings, so that --help shows them as the flags take them (5s, not PT5S)
  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", description = "Time between passes (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--once", description = "Run the scripted demo to its end and exit: 0 if every workflow succeeded (for CI).")
  boolean once;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
      description = "With --once, give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  private final Validator validator;
  private final FleetPass.Factory passes;

  public SandboxCommand(Validator validator, FleetPass.Factory passes) {
    this.validator = validator;
    this.passes = passes;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(sample)) {
      throw new ParameterException(spec.commandLine(), "no config repo to seed from at " + sample.toAbsolutePath()
          + "; run from the project folder or pass --sample DIR");
    }
    Sandbox.Settings settings = new Sandbox.Settings(members, dir.toAbsolutePath(), sample, interval, once, timeout);
    boolean done = new Sandbox(settings, validator, passes, spec.commandLine().getOut(), Clock.systemDefaultZone()).run();
    return done ? 0 : 1;
  }
}
