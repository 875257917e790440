package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.InClusterSecrets;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.KubeconfigPolicy;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.pipeline.Concurrency;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How member clusters are reached: the Secrets as local files, what their kubeconfigs may ask for, and which members to take. */
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

  @Option(names = "--concurrent", paramLabel = "N",
      description = {"Members worked on at a time, 1 to " + Concurrency.MAX + " (default: ${DEFAULT-VALUE}); the others wait their "
          + "turn without spending their time budget."})
  int concurrent = Concurrency.DEFAULT.members();

  @Option(names = "--insecure-kubeconfig-exec",
      description = {"Let member kubeconfigs run their exec credential plugins (users[].user.exec); refused by default.",
          "Whoever can write a kubeconfig Secret can then run any command as fleet-backup."})
  boolean insecureKubeconfigExec;

  @Option(names = "--insecure-kubeconfig-tls",
      description = {"Let member kubeconfigs skip TLS verification (insecure-skip-tls-verify) or use plain http:// servers;",
          "refused by default. Their tokens can then be read or replayed by anyone on the network path."})
  boolean insecureKubeconfigTls;

  CredentialSource credentials(picocli.CommandLine commandLine) {
    KubeconfigPolicy policy = kubeconfigPolicy();
    if (kubeconfigDir != null) {
      return new KubeconfigDir(kubeconfigDir, new LocalSecretsDir(secretsDir == null ? kubeconfigDir : secretsDir), policy);
    }
    if (secretsDir != null) {
      return new LocalSecretsDir(secretsDir, policy);
    }
    throw new ParameterException(commandLine, "one of --kubeconfig-dir or --secrets-dir is required");
  }

  /** {@code --concurrent}; out of range, a usage error. */
  Concurrency concurrency(picocli.CommandLine commandLine) {
    try {
      return new Concurrency(concurrent);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--concurrent " + concurrent + ": between 1 and " + Concurrency.MAX
          + " members at a time");
    }
  }

  /** {@code run --in-cluster}: the Secrets the config repo names, read from the management cluster. */
  CredentialSource inCluster(KubernetesClient management) {
    return new InClusterSecrets(management, kubeconfigPolicy());
  }

  private KubeconfigPolicy kubeconfigPolicy() {
    return new KubeconfigPolicy(
        insecureKubeconfigExec ? KubeconfigPolicy.ExecPlugins.ALLOWED : KubeconfigPolicy.ExecPlugins.REFUSED,
        insecureKubeconfigTls ? KubeconfigPolicy.Transport.INSECURE_ALLOWED : KubeconfigPolicy.Transport.VERIFIED_TLS);
  }
}
