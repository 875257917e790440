package dev.fleetbackup.bench;

import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.testkit.WorstCommit;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * How long validating a large config repo takes: a fleet of 50 clusters and 10,000 policy files
 * (backups, restores, migrations); then what the worst commit within every budget costs
 * ({@link WorstCommit}), alone and beside the policies of the commit before it, as the daemon holds
 * them. Prints figures; asserts nothing (HostileCommitIT does, in the Deployment's heap). Run with
 * {@code make bench}.
 */
public final class ValidateBenchmark {
  static final int CLUSTERS = 50;
  static final int POLICY_FILES = 10_000;

  public static void main(String[] args) throws IOException {
    Path repo = Files.createTempDirectory("fleet-backup-bench");
    try {
      generate(repo);
      Validator validator = new Validator();
      for (int round = 1; round <= 3; round++) {
        System.gc();
        long start = System.nanoTime();
        PolicySnapshot snapshot = new DirectoryReader(repo).read("bench", "");
        long read = System.nanoTime();
        ValidationReport report = validator.validate(snapshot);
        long done = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("validate round %d: %d files, %d objects, %d errors: read %.2f s, validate %.2f s, total %.2f s, heap used %d MiB%n",
            round, report.files(), report.objects(), report.errorCount(), (read - start) / 1e9, (done - read) / 1e9,
            (done - start) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20);
      }
      worstCommit(validator);
    } finally {
      delete(repo);
    }
  }

  private static void worstCommit(Validator validator) throws IOException {
    Path worst = Files.createTempDirectory("fleet-backup-worst");
    try {
      WorstCommit.write(worst);
      long base = usedAfterGc();
      resetPeaks();
      long start = System.nanoTime();
      ValidationReport applied = validator.validate(new DirectoryReader(worst).read("worst", ""));
      long done = System.nanoTime();
      long alonePeak = peak();
      long kept = usedAfterGc() - base;
      resetPeaks();
      ValidationReport next = validator.validate(new DirectoryReader(worst).read("worst again", ""));
      System.out.printf("worst commit within the budgets: %d files, %d nodes: %s in %.2f s, heap peak %d MiB; "
              + "its policies keep %d MiB; validating the next beside them: heap peak %d MiB (%s)%n",
          WorstCommit.FILES, WorstCommit.FILES * WorstCommit.NODES_PER_FILE, applied.summary(), (done - start) / 1e9,
          alonePeak >> 20, kept >> 20, peak() >> 20, next.valid() ? "valid" : "invalid");
    } finally {
      delete(worst);
    }
  }

  private static long usedAfterGc() {
    System.gc();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Heap pools' peaks since the last reset: what the heap had to hold at once, garbage included. */
  private static long peak() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void generate(Path repo) throws IOException {
    StringBuilder clusters = new StringBuilder();
    StringBuilder fleet = new StringBuilder("""
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata: {name: big, namespace: default}
        spec:
          clusters:
        """);
    for (int c = 1; c <= CLUSTERS; c++) {
      fleet.append("    - {name: member").append(c).append(", kind: AttachedCluster}\n");
      clusters.append("---\napiVersion: cluster.kurator.dev/v1alpha1\nkind: AttachedCluster\nmetadata: {name: member")
          .append(c).append("}\nspec: {kubeconfig: {name: member").append(c).append("}}\n");
    }
    fleet.append("""
          plugin:
            backup:
              storage:
                location: {bucket: velero, provider: aws, endpoint: "http://minio:9000", region: minio}
                secretName: minio-credentials
        """);
    Files.writeString(repo.resolve("fleet.yaml"), fleet);
    Files.writeString(repo.resolve("clusters.yaml"), clusters);
    Files.createDirectories(repo.resolve("policies"));
    for (int i = 0; i < POLICY_FILES; i++) {
      String member = "member" + (i % CLUSTERS + 1);
      String text = switch (i % 4) {
        case 0, 1 -> """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Backup
            metadata: {name: app-%d}
            spec:
              schedule: "0 %d * * *"
              destination:
                fleet: big
                clusters: [{name: %s, kind: AttachedCluster}]
              policy:
                resourceFilter:
                  includedNamespaces: [app-%d]
                  labelSelector: {matchLabels: {app: app-%d}}
                ttl: 720h
            """.formatted(i, i % 24, member, i, i);
        case 2 -> """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Restore
            metadata: {name: restore-%d}
            spec:
              backupName: app-%d
              policy:
                namespaceMapping: {app-%d: app-%d-copy}
            """.formatted(i, i - 2, i - 2, i - 2);
        default -> """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Migrate
            metadata: {name: move-%d}
            spec:
              sourceCluster: {fleet: big, clusters: [{name: %s, kind: AttachedCluster}]}
              targetCluster: {fleet: big, clusters: [{name: member%d, kind: AttachedCluster}]}
              policy:
                resourceFilter: {includedNamespaces: [app-%d]}
            """.formatted(i, member, (i + 1) % CLUSTERS + 1, i);
      };
      Files.writeString(repo.resolve("policies/p" + i + ".yaml"), text);
    }
  }
}
