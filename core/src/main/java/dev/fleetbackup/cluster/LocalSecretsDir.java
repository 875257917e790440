package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secrets as files laid out like mounted Secret volumes: {@code DIR/<secret name>/<key>}, for
 * example {@code DIR/kurator-member1/kurator-member1.config} and {@code DIR/minio-credentials/access-key}.
 * No file is read beyond what it may hold: a kubeconfig {@link Kubeconfig#MAX_BYTES}, a storage key
 * {@link StorageKeys#MAX_BYTES}.
 */
public final class LocalSecretsDir implements CredentialSource {
  private final Path dir;
  private final KubeconfigPolicy policy;

  public LocalSecretsDir(Path dir, KubeconfigPolicy policy) {
    this.dir = dir.toAbsolutePath().normalize();
    this.policy = policy;
  }

  /** Kubeconfigs held to {@link KubeconfigPolicy#STRICT}. */
  public LocalSecretsDir(Path dir) {
    this(dir, KubeconfigPolicy.STRICT);
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    SecretKeyRef ref = cluster.spec().kubeconfig();
    Path file = file(ref.name(), ref.key());
    return new Kubeconfig(file.toString(), read(file, "kubeconfig of cluster " + cluster.name(), Kubeconfig.MAX_BYTES), policy);
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    String secret = fleet.backup()
        .orElseThrow(() -> new IllegalArgumentException("fleet " + fleet.metadata().name() + " has no backup plugin"))
        .storage().secretName();
    String what = "storage credentials of fleet " + fleet.metadata().name();
    return new StorageCredentials(key(file(secret, ACCESS_KEY), what), key(file(secret, SECRET_KEY), what));
  }

  private static SecretValue key(Path file, String what) throws CredentialsUnavailableException {
    return StorageKeys.check(read(file, what, StorageKeys.MAX_BYTES), what + ": " + file);
  }

  private Path file(String secret, String key) throws CredentialsUnavailableException {
    Path file = dir.resolve(secret).resolve(key).normalize();
    if (!file.startsWith(dir)) {
      throw new CredentialsUnavailableException("Secret " + secret + " key " + key + " points outside " + dir);
    }
    return file;
  }

  /** At most {@code limit} bytes of a regular file (links followed, as in a mounted Secret); a device or a FIFO is not read. */
  static String read(Path file, String what, int limit) throws CredentialsUnavailableException {
    if (!Files.isRegularFile(file)) {
      throw new CredentialsUnavailableException(what + ": " + (Files.exists(file) ? file + " is not a regular file" : "no file " + file));
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new CredentialsUnavailableException(what + ": " + file + " is larger than " + StorageKeys.size(limit) + "; refused");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CredentialsUnavailableException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
