package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.VeleroValues;
import dev.fleetbackup.model.ObjectMeta;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.model.SourceMap;
import dev.fleetbackup.plan.StorageCredentials;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets as local files: read within bounds, storage keys that could rewrite Velero's credentials file refused. */
class LocalSecretsDirTest {
  private static final String SECRET = "s3cr3t-never-shown";

  @TempDir
  Path dir;

  private static AttachedCluster cluster(String name) {
    return new AttachedCluster(new ObjectMeta(name, "default", Map.of(), Map.of()),
        new AttachedCluster.Spec(new SecretKeyRef(name, "value")), SourceMap.empty("clusters/" + name + ".yaml"));
  }

  private static Fleet fleet() {
    return new Fleet(new ObjectMeta("quickstart", "default", Map.of(), Map.of()),
        new Fleet.Spec(List.of(), Optional.of(new Fleet.Plugin(Optional.of(new Fleet.BackupConfig(Optional.empty(),
            new Fleet.Storage(new Fleet.Location("velero", "aws", "http://minio:9000", "minio", Map.of()), "minio-credentials"),
            VeleroValues.NONE))))),
        SourceMap.empty("fleet/quickstart.yaml"));
  }

  private Path write(String secret, String key, String value) throws Exception {
    Path file = Files.createDirectories(dir.resolve(secret)).resolve(key);
    Files.writeString(file, value);
    return file;
  }

  @Test
  void aKubeconfigCarriesThePolicyOfItsSource() throws Exception {
    write("member1", "value", "apiVersion: v1\n");
    KubeconfigPolicy allowExec = new KubeconfigPolicy(KubeconfigPolicy.ExecPlugins.ALLOWED, KubeconfigPolicy.Transport.VERIFIED_TLS);
    Files.writeString(dir.resolve("member1.config"), "apiVersion: v1\n");

    assertThat(new LocalSecretsDir(dir).kubeconfig(cluster("member1")).policy()).isEqualTo(KubeconfigPolicy.STRICT);
    assertThat(new LocalSecretsDir(dir, allowExec).kubeconfig(cluster("member1")).policy()).isEqualTo(allowExec);
    assertThat(new KubeconfigDir(dir, new LocalSecretsDir(dir), allowExec).kubeconfig(cluster("member1")).policy()).isEqualTo(allowExec);
  }

  @Test
  void aClusterApiMemberIsReadFromItsNameKubeconfigSecretKeyValue() throws Exception {
    Path file = write("edge-kubeconfig", "value", "apiVersion: v1\n");

    Kubeconfig kubeconfig = new LocalSecretsDir(dir).kubeconfig(AttachedCluster.ofClusterApi("edge", "default", SourceMap.empty("f.yaml")));

    assertThat(kubeconfig.origin()).isEqualTo(file.toString());
    assertThat(kubeconfig.files()).singleElement().satisfies(f -> assertThat(f.text()).isEqualTo("apiVersion: v1\n"));
  }

  @Test
  void aHugeKubeconfigIsRefusedWithoutReadingItWhole() throws Exception {
    Path file = Files.createDirectories(dir.resolve("member1")).resolve("value");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(1L << 30);
    }
    Instant start = Instant.now();

    assertThatThrownBy(() -> new LocalSecretsDir(dir).kubeconfig(cluster("member1")))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessage("kubeconfig of cluster member1: " + file + " is larger than 1 MiB; refused");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void onlyRegularFilesAreRead() throws Exception {
    Files.createDirectories(dir.resolve("member1").resolve("value"));
    assertThatThrownBy(() -> new LocalSecretsDir(dir).kubeconfig(cluster("member1")))
        .hasMessage("kubeconfig of cluster member1: " + dir.resolve("member1/value") + " is not a regular file");

    Path fifo = Files.createDirectories(dir.resolve("member2")).resolve("value");
    assumeThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    assertThatThrownBy(() -> new LocalSecretsDir(dir).kubeconfig(cluster("member2")))
        .hasMessage("kubeconfig of cluster member2: " + fifo + " is not a regular file");
  }

  @Test
  void storageKeysAreReadStrippedOfTheirFinalNewline() throws Exception {
    write("minio-credentials", "access-key", "fleet-access\n");
    write("minio-credentials", "secret-key", SECRET);

    StorageCredentials keys = new LocalSecretsDir(dir).storage(fleet());

    assertThat(keys.accessKey().reveal().strip()).isEqualTo("fleet-access");
    assertThat(keys.secretKey().reveal()).isEqualTo(SECRET);
  }

  @Test
  void aStorageKeyThatWouldAddLinesToVelerosCredentialsFileIsRefused() throws Exception {
    write("minio-credentials", "access-key", "fleet-access");
    Path secretKey = write("minio-credentials", "secret-key", SECRET + "\ncredential_process=/bin/sh -c id\n");

    assertThatThrownBy(() -> new LocalSecretsDir(dir).storage(fleet()))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessage("storage credentials of fleet quickstart: " + secretKey
            + " holds a control character (a line break would add lines to Velero's credentials file); refused")
        .hasMessageNotContaining(SECRET);

    write("minio-credentials", "secret-key", SECRET + "\r");
    assertThat(new LocalSecretsDir(dir).storage(fleet()).secretKey().reveal()).isEqualTo(SECRET + "\r");
    write("minio-credentials", "secret-key", SECRET + "\u001b[2J" + SECRET);
    assertThatThrownBy(() -> new LocalSecretsDir(dir).storage(fleet())).hasMessageContaining("holds a control character");
  }

  @Test
  void anEmptyOrOversizedStorageKeyIsRefused() throws Exception {
    Path accessKey = write("minio-credentials", "access-key", " \n");
    write("minio-credentials", "secret-key", SECRET);
    assertThatThrownBy(() -> new LocalSecretsDir(dir).storage(fleet()))
        .hasMessage("storage credentials of fleet quickstart: " + accessKey + " is empty");

    write("minio-credentials", "access-key", "a".repeat(StorageKeys.MAX_BYTES + 1));
    assertThatThrownBy(() -> new LocalSecretsDir(dir).storage(fleet()))
        .hasMessage("storage credentials of fleet quickstart: " + accessKey + " is larger than 4 KiB; refused");
  }
}
