package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.ops.ReplicaLease;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.shard.BoundedLoadRing;
import dev.fleetbackup.shard.Claims;
import dev.fleetbackup.testkit.AuditEvent;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code fleet-backup run --shards} replicas, each a JVM of the product jar, share nine
 * members of the test kit through their Leases in a management API server (issue 13):
 *
 * <ol>
 *   <li>each member is reconciled by exactly the replica the ring assigns it, as the members' own
 *       audit logs show (each replica names itself in its User-Agent);
 *   <li>one replica is killed (SIGKILL): the other two reconcile its members once its Lease has run
 *       out, a change committed meanwhile reaching every member, each through one replica;
 *   <li>a fourth replica joins: only the members the ring gives it change hands;
 * </ol>
 *
 * and the status branch shows all nine members in every commit from the first that had them all.
 * The members run no Velero server (the test installs Velero's CRDs only): what is proved is who
 * writes, not what Velero does.
 */
class ShardingIT {
  private static final String MANAGEMENT = "management";
  private static final String NAMESPACE = "fleet-backup-system";
  private static final List<String> MEMBERS = IntStream.rangeClosed(1, 9).mapToObj(i -> "kurator-member" + i).toList();
  private static final Leadership.Timings TIMINGS =
      new Leadership.Timings(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));
  private static final String STATUS = RunCommand.DEFAULT_STATUS_BRANCH;
  /** A pass over the members taken, on a machine shared with ten API servers and the other replicas. */
  private static final Duration MARGIN = Duration.ofSeconds(4);

  /** Short: the members' sockets live below it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void theReplicasShareTheMembersEachWrittenByOneAndTakeOverADeadOnesAndGiveANewOneOnlyItsShare() throws Exception {
    Instant started = Instant.now();
    List<Replica> replicas = new CopyOnWriteArrayList<>();
    Thread hook = new Thread(() -> replicas.forEach(r -> r.process.destroyForcibly()), "sharding-replicas");
    Runtime.getRuntime().addShutdownHook(hook);
    List<String> names = new ArrayList<>(List.of(MANAGEMENT));
    names.addAll(MEMBERS);
    try (TestFleet fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(names));
         ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      System.out.printf("MEASURE fleet of %d API servers up: %d ms%n", names.size(), fleet.startupTime().toMillis());
      KubernetesClient management = fleet.member(MANAGEMENT).client();
      management.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
      veleroCrds(fleet);
      Path secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
      FleetRepo repo = new FleetRepo(dir.resolve("policies"), fleet.s3());
      // first a fleet of no member: every replica applies it and announces the same (empty) member set
      remote.commitTree(emptyFleet(dir.resolve("empty")), "an empty fleet");

      for (String name : List.of("a", "b", "c")) {
        replicas.add(Replica.start(name, dir, fleet.member(MANAGEMENT).kubeconfig(), remote, secrets));
      }
      System.out.println("replica logs: " + replicas.stream().map(r -> r.log.toString()).toList());
      awaitAnnounced(management, Set.of("a", "b", "c"), Set.of(), Duration.ofSeconds(60));

      // 1. nine members and a schedule for each: every member written by the one replica the ring gives it
      nineMembers(repo, fleet);
      remote.commitTree(repo.nightly("0 2 * * *", "shop").dir, "nine members, nightly");
      replicas.forEach(Replica::triggerPass);
      Map<String, String> ring3 = BoundedLoadRing.assign(List.of("a", "b", "c"), MEMBERS);
      Map<String, String> nightly = awaitScheduleWriters(fleet, "nightly", Duration.ofSeconds(60));
      System.out.printf("MEASURE nightly written on every member %d ms after the test started; writers %s%n",
          Duration.between(started, Instant.now()).toMillis(), new TreeMap<>(nightly));
      assertThat(nightly).as("each member's Schedule, written by its replica").isEqualTo(ring3);
      assertThat(writersOfAnyKind(fleet)).as("every request to a member (dry runs too) from one replica")
          .isEqualTo(ring3.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Set.of(e.getValue()))));
      awaitStatusCovers(remote, Duration.ofSeconds(30));

      // 2. c is killed: its members go to a and b once its Lease ran out
      Replica c = replicas.get(2);
      List<String> hers = MEMBERS.stream().filter(m -> ring3.get(m).equals("c")).toList();
      Instant killed = Instant.now();
      c.process.destroyForcibly().waitFor();
      remote.commitTree(repo.write("backups/probe.yaml", schedule("probe")).dir, "a probe");
      replicas.get(0).triggerPass();
      replicas.get(1).triggerPass();
      Map<String, String> ring2 = BoundedLoadRing.assign(List.of("a", "b"), MEMBERS);
      Map<String, String> probe = awaitScheduleWriters(fleet, "probe", Duration.ofSeconds(60));
      assertThat(probe).as("the probe on every member, by its replica among the two left").isEqualTo(ring2);
      Map<String, Duration> takeover = new TreeMap<>();
      for (String m : hers) {
        Instant first = fleet.member(m).auditEvents().stream().filter(e -> fromReplica(e) && !e.userAgent().equals(c.userAgent()))
            .map(AuditEvent::requestReceivedTimestamp).filter(t -> t.isAfter(killed)).min(Instant::compareTo).orElseThrow();
        takeover.put(m, Duration.between(killed, first));
      }
      System.out.printf("MEASURE c killed -> its members %s reconciled by a or b after %s ms (lease %d ms, retry %d ms, interval 5 s)%n",
          hers, takeover.values().stream().map(Duration::toMillis).toList(), TIMINGS.leaseDuration().toMillis(),
          TIMINGS.retryPeriod().toMillis());
      assertThat(takeover.values()).as("once its Lease ran out (seen unchanged for the lease duration), at the next renewal")
          .allMatch(d -> d.compareTo(TIMINGS.leaseDuration().plus(TIMINGS.retryPeriod().multipliedBy(2)).plus(MARGIN)) <= 0);
      assertThat(writes(fleet, c).stream().filter(e -> e.requestReceivedTimestamp().isAfter(killed))).as("c is dead").isEmpty();

      // 3. d joins: only the members the ring gives it change hands
      Replica d = Replica.start("d", dir, fleet.member(MANAGEMENT).kubeconfig(), remote, secrets);
      replicas.add(d);
      Map<String, String> ring3d = BoundedLoadRing.assign(List.of("a", "b", "d"), MEMBERS);
      List<String> moving = MEMBERS.stream().filter(m -> !ring2.get(m).equals(ring3d.get(m))).toList();
      assertThat(moving).as("the ring's own promise").allMatch(m -> ring3d.get(m).equals("d"));
      await("d owns its share").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> d.logged("sharding: d owns " + moving.size() + " member(s)"));
      remote.commitTree(repo.write("backups/probe2.yaml", schedule("probe2")).dir, "a second probe");
      replicas.stream().filter(r -> r != c).forEach(Replica::triggerPass);
      Map<String, String> probe2 = awaitScheduleWriters(fleet, "probe2", Duration.ofSeconds(60));
      assertThat(probe2).as("the second probe, by the replica the ring now gives each member").isEqualTo(ring3d);
      List<String> changedHands = MEMBERS.stream().filter(m -> !probe.get(m).equals(probe2.get(m))).toList();
      System.out.printf("MEASURE d joined: %s of %d members changed hands, all to d%n", changedHands, MEMBERS.size());
      assertThat(changedHands).as("only d's share moved").isEqualTo(moving).allMatch(m -> probe2.get(m).equals("d"));

      // at most one replica at a time: on each member, the replicas' requests come in blocks, one after the other
      for (String m : MEMBERS) {
        List<String> order = fleet.member(m).auditEvents().stream().filter(ShardingIT::fromReplica)
            .sorted(java.util.Comparator.comparing(AuditEvent::requestReceivedTimestamp)).map(AuditEvent::userAgent).toList();
        List<String> blocks = new ArrayList<>();
        order.forEach(ua -> {
          if (blocks.isEmpty() || !blocks.get(blocks.size() - 1).equals(ua)) {
            blocks.add(ua);
          }
        });
        assertThat(blocks).as("%s: who wrote, in turn", m).doesNotHaveDuplicates();
      }
      // the status branch: every commit since the first that showed all nine shows all nine
      List<Integer> counts = clusterCounts(remote);
      System.out.println("MEASURE clusters in each status commit, oldest first: " + counts);
      assertThat(counts.subList(counts.indexOf(MEMBERS.size()), counts.size())).allMatch(n -> n == MEMBERS.size());
    } finally {
      for (Replica r : replicas) {
        r.process.destroyForcibly().waitFor();
        r.printHighlights();
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    System.out.printf("MEASURE test: %d ms%n", Duration.between(started, Instant.now()).toMillis());
  }

  /** Velero's CRDs, installed in the first member by the Velero CLI and copied to the others. */
  private static void veleroCrds(TestFleet fleet) {
    fleet.installVeleroCrds(fleet.member(MEMBERS.get(0)));
    List<CustomResourceDefinition> crds = fleet.member(MEMBERS.get(0)).client().apiextensions().v1().customResourceDefinitions()
        .list().getItems().stream().filter(crd -> crd.getSpec().getGroup().equals("velero.io")).toList();
    for (String m : MEMBERS.subList(1, MEMBERS.size())) {
      KubernetesClient client = fleet.member(m).client();
      for (CustomResourceDefinition crd : crds) {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
            .withNewMetadata().withName(crd.getMetadata().getName()).withLabels(crd.getMetadata().getLabels()).endMetadata()
            .withSpec(crd.getSpec()).build()).create();
      }
    }
  }

  private static Path emptyFleet(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("fleet"));
    Files.writeString(dir.resolve("fleet/quickstart.yaml"), """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clusters: []
        """);
    return dir;
  }

  /** The fleet of the nine members, with the test kit's S3 server as its store. */
  private static void nineMembers(FleetRepo repo, TestFleet fleet) {
    for (String m : MEMBERS) {
      repo.write("clusters/" + m + ".yaml", """
          apiVersion: cluster.kurator.dev/v1alpha1
          kind: AttachedCluster
          metadata:
            name: %1$s
            namespace: default
          spec:
            kubeconfig:
              name: %1$s
              key: %1$s.config
          """.formatted(m));
    }
    repo.write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clusters:
        """ + MEMBERS.stream().map(m -> "    - name: " + m + "\n      kind: AttachedCluster\n").collect(Collectors.joining()) + """
          plugin:
            backup:
              storage:
                location:
                  bucket: %s
                  provider: aws
                  endpoint: %s
                  region: %s
                secretName: minio-credentials
        """.formatted(fleet.s3().bucket(), fleet.s3().endpoint(), fleet.s3().region()));
  }

  private static String schedule(String name) {
    return """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: %s
          namespace: default
        spec:
          schedule: "0 4 * * *"
          destination:
            fleet: quickstart
          policy:
            resourceFilter:
              includedNamespaces: [nothing-here]
            ttl: 1h
        """.formatted(name);
  }

  /** Until every replica named has a Lease announcing the digest of {@code members}. */
  private static void awaitAnnounced(KubernetesClient management, Set<String> replicas, Set<String> members, Duration within) {
    String digest = Claims.digest(members);
    await("Leases of " + replicas + " announcing " + members).atMost(within).pollInterval(Duration.ofMillis(200))
        .until(() -> management.leases().inNamespace(NAMESPACE).withLabel(ReplicaLease.LABEL, "true").list().getItems().stream()
            .filter(l -> digest.equals(annotation(l, ReplicaLease.MEMBERS))).map(l -> l.getSpec().getHolderIdentity())
            .collect(Collectors.toSet()).containsAll(replicas));
  }

  private static String annotation(Lease lease, String key) {
    return Optional.ofNullable(lease.getMetadata().getAnnotations()).orElse(Map.of()).get(key);
  }

  /** Until every member has a Schedule of the policy {@code policy} written (not dry-run): member → the replica that wrote it. */
  private static Map<String, String> awaitScheduleWriters(TestFleet fleet, String policy, Duration within) {
    Map<String, String> writers = new TreeMap<>();
    await("a Schedule of " + policy + " in every member").atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
      writers.clear();
      for (String m : MEMBERS) {
        Set<String> by = fleet.member(m).auditEvents().stream()
            .filter(e -> fromReplica(e) && !e.dryRun() && e.objectRef().resource().equals("schedules")
                && e.objectRef().name().endsWith("-" + policy) && e.responseStatus().code() < 300)
            .map(ShardingIT::replicaOf).collect(Collectors.toCollection(TreeSet::new));
        assertThat(by).as("%s: the replicas that wrote its Schedule of %s", m, policy).hasSizeLessThanOrEqualTo(1);
        by.forEach(r -> writers.put(m, r));
      }
      return writers.size() == MEMBERS.size();
    });
    return Map.copyOf(writers);
  }

  /** Member → every replica that sent it a write or a dry run. */
  private static Map<String, Set<String>> writersOfAnyKind(TestFleet fleet) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String m : MEMBERS) {
      out.put(m, fleet.member(m).auditEvents().stream().filter(ShardingIT::fromReplica).map(ShardingIT::replicaOf)
          .collect(Collectors.toSet()));
    }
    return out;
  }

  private static List<AuditEvent> writes(TestFleet fleet, Replica replica) {
    return MEMBERS.stream().flatMap(m -> fleet.member(m).auditEvents().stream())
        .filter(e -> e.userAgent().equals(replica.userAgent())).toList();
  }

  private static boolean fromReplica(AuditEvent e) {
    return e.userAgent().startsWith("fleet-backup/");
  }

  /** {@code fleet-backup/0.1.0 (a)} → {@code a}. */
  private static String replicaOf(AuditEvent e) {
    String ua = e.userAgent();
    return ua.substring(ua.indexOf('(') + 1, ua.lastIndexOf(')'));
  }

  private static void awaitStatusCovers(ConfigRemote remote, Duration within) {
    await("the status branch shows every member").atMost(within).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> status(remote.filesOf(STATUS).get(StatusFiles.STATUS_JSON)).clusters().size() == MEMBERS.size());
  }

  private static StatusReport status(String json) {
    return new StatusFiles().parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The number of clusters each status commit shows, oldest first. */
  private static List<Integer> clusterCounts(ConfigRemote remote) throws IOException {
    List<RevCommit> commits = new ArrayList<>(remote.log(STATUS));
    Collections.reverse(commits);
    List<Integer> counts = new ArrayList<>();
    try (Git git = Git.open(remote.bare.toFile())) {
      for (RevCommit commit : commits) {
        try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), StatusFiles.STATUS_JSON, commit.getTree())) {
          ObjectId blob = walk.getObjectId(0);
          counts.add(status(new String(git.getRepository().open(blob).getBytes(), StandardCharsets.UTF_8)).clusters().size());
        }
      }
    }
    return counts;
  }

  /** One {@code fleet-backup run --shards} of the product jar, named {@code name} as a Pod is, its log as JSON lines. */
  private record Replica(String name, Process process, Path log, Path trigger) {
    static Replica start(String name, Path dir, Path managementKubeconfig, ConfigRemote remote, Path secrets) throws IOException {
      Path log = dir.resolve("replica-" + name + ".log");
      Path trigger = dir.resolve("trigger-" + name);
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // C1 only: the replicas and ten API servers share two cores, and a test run is too short for C2 to pay off
          "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", ProductJar.path().toString(),
          "run", "--repo", remote.url(), "--secrets-dir", secrets.toString(), "--interval", "5s",
          "--trigger-file", trigger.toString(), "--log-format", "json",
          "--work-dir", dir.resolve("work-" + name).toString(),
          "--shards",
          "--leader-election-lease-duration", TIMINGS.leaseDuration().toSeconds() + "s",
          "--leader-election-renew-deadline", TIMINGS.renewDeadline().toSeconds() + "s",
          "--leader-election-retry-period", TIMINGS.retryPeriod().toSeconds() + "s")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", managementKubeconfig.toString());
      builder.environment().put("POD_NAMESPACE", NAMESPACE);
      builder.environment().put("POD_NAME", name);
      return new Replica(name, builder.start(), log, trigger);
    }

    String userAgent() {
      return "fleet-backup/" + VersionProvider.projectVersion().orElseThrow() + " (" + name + ")";
    }

    void triggerPass() {
      try {
        Files.writeString(trigger, Instant.now().toString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    boolean logged(String text) throws IOException {
      return Files.readAllLines(log).stream().anyMatch(l -> l.contains(text));
    }

    /** Its sharding lines and its warnings, for the test's output. */
    void printHighlights() throws IOException {
      Files.readAllLines(log).stream().filter(l -> l.contains("\"WARN\"") || l.contains("\"ERROR\"") || l.contains("sharding")
              || l.contains("Lease"))
          .forEach(l -> System.out.println("replica " + name + ": " + l));
    }
  }
}
