package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.plan.StorageCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kubectl way: kubeconfig files ({@code --kubeconfig}, {@code $KUBECONFIG}) merged by kubectl's
 * rules, each cluster reached through the context of its own name, or the one {@code contexts}
 * maps it to ({@code --context CLUSTER=CONTEXT}). The files are read again for every member and
 * pass, each within {@link Kubeconfig#MAX_BYTES}, so a token rotated in a file is used at the next
 * pass; each file goes through the same checks as a kubeconfig Secret. Other Secrets (a fleet's
 * storage credentials) come from {@code secrets}.
 */
public final class KubeconfigFiles implements CredentialSource {
  private final List<Path> files;
  private final Map<String, String> contexts;
  private final CredentialSource secrets;
  private final KubeconfigPolicy policy;

  /**
   * @param files in kubectl's merge order, the first to name a cluster, user or context winning
   * @param contexts the context of each cluster that is not reached through the context of its own name
   */
  public KubeconfigFiles(List<Path> files, Map<String, String> contexts, CredentialSource secrets, KubeconfigPolicy policy) {
    this.files = List.copyOf(files);
    this.contexts = Map.copyOf(contexts);
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (this.files.isEmpty()) {
      throw new IllegalArgumentException("no kubeconfig file");
    }
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    String context = contexts.getOrDefault(cluster.name(), cluster.name());
    List<Kubeconfig.File> read = new ArrayList<>();
    for (Path file : files) {
      read.add(new Kubeconfig.File(file.toString(),
          LocalSecretsDir.read(file, "kubeconfig of cluster " + cluster.name() + " (context " + context + ")", Kubeconfig.MAX_BYTES)));
    }
    return Kubeconfig.merged(read, context, policy);
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    return secrets.storage(fleet);
  }

  /** Where storage credentials come from when no Secrets are given: nowhere; a diff shows them unrendered, an apply fails the fleet's members. */
  public static final CredentialSource NO_SECRETS = new CredentialSource() {
    @Override
    public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
      throw new CredentialsUnavailableException("kubeconfig of cluster " + cluster.name() + ": no source of kubeconfigs");
    }

    @Override
    public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
      throw new CredentialsUnavailableException("storage credentials of fleet " + fleet.metadata().name()
          + ": no Secrets to read them from (give --secrets-dir)");
    }
  };
}
