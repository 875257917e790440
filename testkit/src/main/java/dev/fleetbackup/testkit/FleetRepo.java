package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A config repo for the ITs, written as files: a fleet on the test kit's S3 server, its members, and policies. */
public final class FleetRepo {
  public final Path dir;
  private final String bucket;
  private final URI endpoint;
  private final String region;
  private int clusters = 3;

  public FleetRepo(Path dir, S3Server s3) {
    this(dir, s3.bucket(), s3.endpoint(), s3.region());
  }

  /** The same repo for a store that need not run: validation tests read it offline. */
  public FleetRepo(Path dir, String bucket, URI endpoint, String region) {
    this.dir = dir;
    this.bucket = bucket;
    this.endpoint = endpoint;
    this.region = region;
    for (int i = 1; i <= 3; i++) {
      cluster(i);
    }
    fleet(true);
  }

  /** A fleet of {@code kurator-member1..n}: the files of the others are removed, those of members beyond 3 written. */
  public FleetRepo clusters(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("at least 1 cluster, not " + n);
    }
    clusters = n;
    for (int i = n + 1; i <= 3; i++) {
      remove("clusters/kurator-member" + i + ".yaml");
    }
    for (int i = 4; i <= n; i++) {
      cluster(i);
    }
    return fleet(true);
  }

  private void cluster(int i) {
    write("clusters/kurator-member" + i + ".yaml", """
        apiVersion: cluster.kurator.dev/v1alpha1
        kind: AttachedCluster
        metadata:
          name: kurator-member%1$d
          namespace: default
        spec:
          kubeconfig:
            name: kurator-member%1$d
            key: kurator-member%1$d.config
        """.formatted(i));
  }

  /** The fleet, with or without {@code plugin.backup}. */
  public FleetRepo fleet(boolean backupPlugin) {
    String plugin = !backupPlugin ? "" : """
          plugin:
            backup:
              storage:
                location:
                  bucket: %s
                  provider: aws
                  endpoint: %s
                  region: %s
                  config:
                    checksumAlgorithm: ""
                secretName: minio-credentials
        """.formatted(bucket, endpoint, region);
    return write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clusters:
        """ + java.util.stream.IntStream.rangeClosed(1, clusters)
            .mapToObj(i -> "    - name: kurator-member" + i + "\n      kind: AttachedCluster\n").collect(java.util.stream.Collectors.joining())
        + plugin);
  }

  public FleetRepo nightly(String schedule, String... namespaces) {
    return scheduled("nightly", schedule, namespaces);
  }

  /** {@code backups/<name>.yaml}: a Backup of {@code namespaces} on {@code schedule}, kept 7 days. */
  public FleetRepo scheduled(String name, String schedule, String... namespaces) {
    return write("backups/" + name + ".yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: %s
          namespace: default
        spec:
          schedule: "%s"
          destination:
            fleet: quickstart
          policy:
            resourceFilter:
              includedNamespaces: [%s]
            ttl: 168h
        """.formatted(name, schedule, String.join(", ", namespaces)));
  }

  public FleetRepo selectLabels(String app) {
    return write("backups/select-labels.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: select-labels
          namespace: default
        spec:
          destination:
            fleet: quickstart
          policy:
            resourceFilter:
              labelSelector:
                matchLabels:
                  app: %s
            ttl: 720h
        """.formatted(app));
  }

  /** A Migrate of {@code namespace} from kurator-member1 to kurator-member2 and kurator-member3. */
  public FleetRepo migrate(String name, String namespace) {
    return write("migrations/" + name + ".yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Migrate
        metadata:
          name: %s
          namespace: default
        spec:
          sourceCluster:
            fleet: quickstart
            clusters:
              - {kind: AttachedCluster, name: kurator-member1}
          targetCluster:
            fleet: quickstart
            clusters:
              - {kind: AttachedCluster, name: kurator-member2}
              - {kind: AttachedCluster, name: kurator-member3}
          policy:
            resourceFilter:
              includedNamespaces: [%s]
        """.formatted(name, namespace));
  }

  public FleetRepo remove(String path) {
    try {
      Files.deleteIfExists(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FleetRepo write(String path, String text) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every Secret this repo names, laid out as mounted Secret volumes under {@code secrets}: each
   * member's kubeconfig ({@code kurator-memberN/kurator-memberN.config}) and the storage credentials.
   */
  public static Path writeSecrets(Path secrets, TestFleet fleet) {
    writeSecrets(secrets, fleet.s3());
    try {
      for (Member member : fleet.members()) {
        Path file = secrets.resolve(member.name()).resolve(member.name() + ".config");
        Files.createDirectories(file.getParent());
        Files.copy(member.kubeconfig(), file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return secrets;
  }

  /** The storage credentials as a mounted Secret: {@code <secrets>/minio-credentials/{access-key,secret-key}}. */
  public static void writeSecrets(Path secrets, S3Server s3) {
    try {
      Path dir = Files.createDirectories(secrets.resolve("minio-credentials"));
      Files.writeString(dir.resolve("access-key"), s3.accessKey());
      Files.writeString(dir.resolve("secret-key"), s3.secretKey());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
