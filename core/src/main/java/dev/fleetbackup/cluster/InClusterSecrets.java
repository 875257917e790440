package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Secrets a config repo refers to, read from the management cluster, as fleet-backup reads them
 * when it runs there ({@code run --in-cluster}): an AttachedCluster's kubeconfig from the Secret
 * and key it names, in the AttachedCluster's namespace; a Fleet's storage credentials from its
 * {@code secretName}, keys {@code access-key} and {@code secret-key}, in the Fleet's namespace.
 *
 * <p>Each call is one {@code get} of one Secret, so RBAC needs nothing more than {@code get} on
 * Secrets in the namespaces the config repo uses. Messages name the Secret and key, never a value.
 */
public final class InClusterSecrets implements CredentialSource {
  private final KubernetesClient client;
  private final KubeconfigPolicy policy;

  /**
   * @param client a client for the management cluster (in a Pod: its service account)
   * @param policy what the kubeconfigs read here may ask for
   */
  public InClusterSecrets(KubernetesClient client, KubeconfigPolicy policy) {
    this.client = client;
    this.policy = policy;
  }

  /** Kubeconfigs held to {@link KubeconfigPolicy#STRICT}. */
  public InClusterSecrets(KubernetesClient client) {
    this(client, KubeconfigPolicy.STRICT);
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    SecretKeyRef ref = cluster.spec().kubeconfig();
    String namespace = cluster.metadata().namespace();
    String what = "kubeconfig of cluster " + cluster.name();
    String text = value(read(namespace, ref.name(), what), namespace, ref.name(), ref.key(), what, Kubeconfig.MAX_BYTES);
    return new Kubeconfig("Secret " + namespace + "/" + ref.name() + " key " + ref.key(), text, policy);
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    String secretName = fleet.backup()
        .orElseThrow(() -> new IllegalArgumentException("fleet " + fleet.metadata().name() + " has no backup plugin"))
        .storage().secretName();
    String namespace = fleet.metadata().namespace();
    String what = "storage credentials of fleet " + fleet.metadata().name();
    Secret secret = read(namespace, secretName, what);
    return new StorageCredentials(key(secret, namespace, secretName, ACCESS_KEY, what), key(secret, namespace, secretName, SECRET_KEY, what));
  }

  private Secret read(String namespace, String name, String what) throws CredentialsUnavailableException {
    String ref = "Secret " + namespace + "/" + name;
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      // the server's message names the object and the user, never the data; we still keep to
      // the status code and reason, which say all that is needed
      throw new CredentialsUnavailableException(what + ": " + ref + " cannot be read (" + reason(e) + ")");
    }
    if (secret == null) {
      throw new CredentialsUnavailableException(what + ": " + ref + " not found");
    }
    return secret;
  }

  private static SecretValue key(Secret secret, String namespace, String name, String key, String what)
      throws CredentialsUnavailableException {
    return StorageKeys.check(value(secret, namespace, name, key, what, StorageKeys.MAX_BYTES),
        what + ": Secret " + namespace + "/" + name + " key " + key);
  }

  /** The decoded value of {@code key}, refused before decoding when it would be larger than {@code limit} bytes. */
  private static String value(Secret secret, String namespace, String name, String key, String what, int limit)
      throws CredentialsUnavailableException {
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(key);
    if (encoded == null) {
      throw new CredentialsUnavailableException(
          what + ": Secret " + namespace + "/" + name + " has no key " + key);
    }
    if (encoded.length() > (limit + 2) / 3 * 4) {
      throw new CredentialsUnavailableException(
          what + ": Secret " + namespace + "/" + name + " key " + key + " is larger than " + StorageKeys.size(limit) + "; refused");
    }
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new CredentialsUnavailableException(
          what + ": Secret " + namespace + "/" + name + " key " + key + " is not valid base64");
    }
  }

  private static String reason(KubernetesClientException e) {
    int code = e.getCode();
    if (code == 403) {
      return "403 Forbidden: grant get on Secrets in this namespace, for example a RoleBinding to ClusterRole fleet-backup-secret-reader";
    }
    if (code == 401) {
      return "401 Unauthorized: the service account token was refused";
    }
    if (code > 0) {
      String status = e.getStatus() == null || e.getStatus().getReason() == null ? "" : " " + e.getStatus().getReason();
      return code + status;
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return "management cluster not reachable: " + cause.getClass().getSimpleName();
  }
}
