package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.LocalSecretsDir;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How member clusters are reached: the Secrets as local files, and which members to take. */
final class ClusterOptions {
  @Option(names = "--secrets-dir", paramLabel = "DIR",
      description = {"Secrets laid out like mounted Secret volumes: DIR/<secret name>/<key>.",
          "The AttachedClusters' kubeconfigs and the fleets' storage credentials (keys access-key, secret-key) are read there."})
  Path secretsDir;

  @Option(names = "--kubeconfig-dir", paramLabel = "DIR",
      description = {"The shortcut: the kubeconfig of each cluster at DIR/<cluster>.config.",
          "Storage credentials are read from --secrets-dir if given, else from DIR/<secret name>/<key>."})
  Path kubeconfigDir;

  @Option(names = "--cluster", paramLabel = "NAME", description = "Only this member cluster (repeatable; default: all).")
  List<String> clusters = List.of();

  CredentialSource credentials(picocli.CommandLine commandLine) {
    if (kubeconfigDir != null) {
      return secretsDir == null ? new KubeconfigDir(kubeconfigDir) : new KubeconfigDir(kubeconfigDir, new LocalSecretsDir(secretsDir));
    }
    if (secretsDir != null) {
      return new LocalSecretsDir(secretsDir);
    }
    throw new ParameterException(commandLine, "one of --kubeconfig-dir or --secrets-dir is required");
  }

  Set<String> selected() {
    return new LinkedHashSet<>(clusters);
  }
}
