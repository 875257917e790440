package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Secrets as files laid out like mounted Secret volumes: {@code DIR/<secret name>/<key>}, for
 * example {@code DIR/kurator-member1/kurator-member1.config} and {@code DIR/minio-credentials/access-key}.
 */
public final class LocalSecretsDir implements CredentialSource {
  private final Path dir;

  public LocalSecretsDir(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    SecretKeyRef ref = cluster.spec().kubeconfig();
    Path file = file(ref.name(), ref.key());
    return new Kubeconfig(file.toString(), read(file, "kubeconfig of cluster " + cluster.name()));
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    String secret = fleet.backup()
        .orElseThrow(() -> new IllegalArgumentException("fleet " + fleet.metadata().name() + " has no backup plugin"))
        .storage().secretName();
    String what = "storage credentials of fleet " + fleet.metadata().name();
    return new StorageCredentials(
        new SecretValue(read(file(secret, ACCESS_KEY), what)),
        new SecretValue(read(file(secret, SECRET_KEY), what)));
  }

  private Path file(String secret, String key) throws CredentialsUnavailableException {
    Path file = dir.resolve(secret).resolve(key).normalize();
    if (!file.startsWith(dir)) {
      throw new CredentialsUnavailableException("Secret " + secret + " key " + key + " points outside " + dir);
    }
    return file;
  }

  static String read(Path file, String what) throws CredentialsUnavailableException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CredentialsUnavailableException(what + ": no file " + file);
    } catch (IOException e) {
      throw new CredentialsUnavailableException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
