package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.plan.StorageCredentials;

/**
 * Where the Secrets a config repo refers to come from: the kubeconfig of each AttachedCluster
 * ({@code spec.kubeconfig}) and the storage credentials of each fleet ({@code secretName}, keys
 * {@code access-key} and {@code secret-key}). Locally they are files ({@link LocalSecretsDir},
 * {@link KubeconfigDir}); in a cluster they will be real Secrets.
 */
public interface CredentialSource {
  String ACCESS_KEY = "access-key";
  String SECRET_KEY = "secret-key";

  Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException;

  StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException;
}
