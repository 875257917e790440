package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.AdmissionGate;
import dev.fleetbackup.testkit.AuditEvent;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two {@code fleet-backup run --enable-leader-election} instances, each a JVM of its own, compete
 * for the Lease in a management cluster while a migration moves an application from member 1 to
 * members 2 and 3, and leadership changes hands twice (issues 8 and 12):
 *
 * <ol>
 *   <li>The leader is killed (SIGKILL) mid-migration; the standby takes the Lease within the lease
 *       time and finishes the migration, doing no step twice.
 *   <li>A replacement instance stands by. The new leader, alive and in the middle of a pass (one of
 *       its writes held inside member 2's API server by an {@link AdmissionGate}), loses its Lease:
 *       the test writes another holder into it, as a replica that took over while it could not
 *       renew would. The members' own audit logs then show no write of the old leader (each
 *       instance names itself in its User-Agent) after it stopped leading, and the status branch no
 *       commit of it; the replacement takes over once the other holder's lease has run out, and
 *       writes.
 * </ol>
 */
class LeaderHandoverIT {
  private static final String MANAGEMENT = "management";
  private static final String M1 = "kurator-member1";
  private static final String M2 = "kurator-member2";
  private static final String M3 = "kurator-member3";
  private static final String LEASE_NAMESPACE = "fleet-backup-system";
  private static final String MIGRATION = "move";
  private static final String APP = "moving";
  private static final String SOURCE_BACKUP = M1 + "-migrate-default-" + MIGRATION;
  private static final Leadership.Timings TIMINGS =
      new Leadership.Timings(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));
  /** fabric8 retries after the retry period plus up to 1.2 × of it as jitter. */
  private static final Duration WORST_RETRY = TIMINGS.retryPeriod().multipliedBy(22).dividedBy(10);
  /** For a test JVM, four API servers, three Velero servers and two reconcilers on a small machine. */
  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final String INTRUDER = "intruder";
  /** A schedule for member 2 alone, committed while the second leader leads: its pass is the one held. */
  private static final String PROBE = """
      apiVersion: backup.kurator.dev/v1alpha1
      kind: Backup
      metadata:
        name: probe
        namespace: default
      spec:
        schedule: "0 3 * * *"
        destination:
          fleet: quickstart
          clusters:
            - {kind: AttachedCluster, name: kurator-member2}
        policy:
          resourceFilter:
            includedNamespaces: [nothing-here]
          ttl: 1h
      """;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext RESTORES = velero("restores", "Restore");

  /** Short: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aKilledLeaderAndALeaderThatLostItsLeaseHandOverAndTheOldLeaderWritesNothingMore() throws Exception {
    Instant started = Instant.now();
    List<Instance> instances = new CopyOnWriteArrayList<>();
    // should this JVM be stopped before the finally below runs, the instances go with it
    Thread hook = new Thread(() -> instances.forEach(i -> i.process.destroyForcibly()), "leader-handover-instances");
    Runtime.getRuntime().addShutdownHook(hook);
    try (TestFleet fleet = TestFleet.start(dir.resolve("f"),
             TestFleet.Options.members(List.of(MANAGEMENT, M1, M2, M3)).withVeleroNode());
         ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      System.out.printf("MEASURE fleet start: %d ms%n", fleet.startupTime().toMillis());
      KubernetesClient management = fleet.member(MANAGEMENT).client();
      management.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata().build())
          .create();
      app(fleet.member(M1).client());
      remote.commitTree(new FleetRepo(dir.resolve("policies"), fleet.s3()).migrate("move", APP).dir,
          "fleet and a migration");
      Path secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
      Path kubeconfig = fleet.member(MANAGEMENT).kubeconfig();

      // one after the other: fabric8 stamps a Lease it takes with the time before its request, so a slow first
      // request (a new JVM on a loaded machine) can leave a Lease that looks run out to a candidate starting with it
      Instance first = Instance.start("a", dir, kubeconfig, remote, secrets);
      instances.add(first);
      awaitHolder(management, first, Duration.ofSeconds(90));
      Instance second = Instance.start("b", dir, kubeconfig, remote, secrets);
      instances.add(second);
      System.out.println("instance logs: " + instances.stream().map(i -> i.log.toString()).toList());
      Instant firstAcquired = acquired(management);

      AtomicReference<String> phaseAtKill = new AtomicReference<>("");
      await("the leader has the migration under way").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> {
            phaseAtKill.set(migration(remote).map(WorkflowStatus::phase).orElse(""));
            return phaseAtKill.get().equals("BackupInProgress") || phaseAtKill.get().equals("RestoreInProgress");
          });
      await("the standby stands by").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> second.logged("standing by"));
      assertThat(first.process.isAlive()).as("the leader runs until killed, see " + first.log).isTrue();
      assertThat(lease(management).orElseThrow().getSpec().getHolderIdentity()).isEqualTo(first.name);

      // 1. the leader is killed: the standby takes over once the lease has run out
      long killedAt = System.nanoTime();
      Instant killed = Instant.now();
      first.process.destroyForcibly().waitFor();
      awaitHolder(management, second, TIMINGS.leaseDuration().plus(WORST_RETRY).plusSeconds(10));
      Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
      System.out.printf("MEASURE leader %s killed (migration %s) -> %s holds the Lease: %d ms (lease %d ms, retry %d ms)%n",
          first.name, phaseAtKill.get(), second.name, handover.toMillis(), TIMINGS.leaseDuration().toMillis(),
          TIMINGS.retryPeriod().toMillis());
      assertThat(handover).isLessThanOrEqualTo(TIMINGS.leaseDuration().plus(WORST_RETRY).plus(MARGIN));
      Instant secondAcquired = acquired(management);

      // 2. a replacement stands by; the new leader, alive and mid-pass, loses its Lease
      Instance replacement = Instance.start("c", dir, kubeconfig, remote, secrets);
      instances.add(replacement);
      AtomicBoolean holding = new AtomicBoolean();
      String probe;
      Instant stolen;
      Instant lost;
      try (AdmissionGate gate = AdmissionGate.install(fleet.member(M2), dir.resolve("gate"),
          List.of(AdmissionGate.writes("velero.io", "schedules")), Map.of(),
          request -> !request.dryRun() && holding.compareAndSet(false, true) ? AdmissionGate.Verdict.HOLD : AdmissionGate.Verdict.ALLOW)) {
        await("the replacement stands by").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> replacement.logged("standing by"));
        probe = remote.commit(Map.of("backups/probe.yaml", PROBE), "a schedule for kurator-member2");
        second.triggerPass();
        AdmissionGate.Request held = gate.awaitHeld(Duration.ofSeconds(60));
        assertThat(second.process.isAlive()).as("the leader waits for its write, see " + second.log).isTrue();

        stolen = Instant.now();
        giveLease(management, INTRUDER);
        await(second.name + " stops leading").atMost(TIMINGS.renewDeadline().plusSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> second.logged("lost Lease"));
        lost = second.lostLease();
        System.out.printf("MEASURE %s held in %s (%s), Lease taken -> %s stopped leading: %d ms%n", second.name, M2, held,
            second.name, Duration.between(stolen, lost).toMillis());
        assertThat(Duration.between(stolen, lost)).as("it stops at its next renewal").isLessThanOrEqualTo(TIMINGS.renewDeadline());
        gate.release(); // its write is answered (refused) now: whatever it would write next, it must not
      }
      assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).as("the leader that lost its Lease exits, see " + second.log).isTrue();
      assertThat(second.process.exitValue()).as("so that it is restarted as a standby").isEqualTo(2);
      awaitHolder(management, replacement, TIMINGS.leaseDuration().plus(WORST_RETRY).plusSeconds(10));
      Instant thirdAcquired = acquired(management);
      System.out.printf("MEASURE Lease taken -> %s holds it: %d ms (%d ms after %s stopped)%n", replacement.name,
          Duration.between(stolen, Instant.now()).toMillis(), Duration.between(lost, thirdAcquired).toMillis(), second.name);
      assertThat(lost).as("the old leader stopped before the new one started").isBefore(thirdAcquired);

      Instant t0 = Instant.now();
      await("the migration Completed by the last leader").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> migration(remote).map(WorkflowStatus::phase).orElse(""), "Completed"::equals);
      System.out.printf("MEASURE migration completed %d ms after the second handover, %d ms after the test started%n",
          Duration.between(t0, Instant.now()).toMillis(), Duration.between(started, Instant.now()).toMillis());

      assertThat(replacement.process.isAlive()).as("the last leader keeps leading, see " + replacement.log).isTrue();
      Lease lease = lease(management).orElseThrow();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(replacement.name);
      assertThat(lease.getSpec().getLeaseTransitions()).as("the kill, the other holder, the replacement: no other handover")
          .isEqualTo(3);

      // the application, in both targets
      Map<String, Object> source = snapshot(fleet.member(M1).client());
      assertThat(source).hasSize(3);
      for (String target : List.of(M2, M3)) {
        assertThat(snapshot(fleet.member(target).client())).as(target).isEqualTo(source);
      }

      // each Velero Backup and Restore of the migration exists once, in the cluster it belongs to
      for (String cluster : List.of(M1, M2, M3)) {
        KubernetesClient c = fleet.member(cluster).client();
        List<GenericKubernetesResource> backups = runs(c, BACKUPS, SOURCE_BACKUP);
        List<GenericKubernetesResource> restores = runs(c, RESTORES, cluster + "-migrate-default-" + MIGRATION);
        if (cluster.equals(M1)) {
          assertThat(backups).as(cluster + ": one source backup").hasSize(1);
          assertThat(restores).as(cluster + ": no restore").isEmpty();
        } else {
          assertThat(backups).as(cluster + ": no backup of its own").isEmpty();
          assertThat(restores).as(cluster + ": one restore").hasSize(1);
          assertThat(spec(restores.get(0))).containsEntry("backupName", SOURCE_BACKUP);
        }
        assertThat(allRunsOfTheMigration(c)).as(cluster + ": nothing else of the migration")
            .hasSize(cluster.equals(M1) ? 1 : 1 + 1 /* the synced source backup */);
      }
      assertThat(fleet.s3().listKeys(M1 + "/backups/")).as("one backup stored")
          .allMatch(k -> k.startsWith(M1 + "/backups/" + SOURCE_BACKUP + "/"));
      assertThat(veleroRuns(management, Optional.empty())).as("nothing of Velero's in the management cluster").isEmpty();

      // the members' audit logs: each instance wrote only while it held the Lease, the old leader nothing after it lost it
      List<AuditEvent> writes = Stream.of(M1, M2, M3).flatMap(m -> fleet.member(m).auditEvents().stream())
          .filter(e -> !e.dryRun() && e.userAgent().startsWith("fleet-backup/")).toList();
      Map<Instance, List<AuditEvent>> byInstance = new LinkedHashMap<>();
      for (Instance i : List.of(first, second, replacement)) {
        byInstance.put(i, writes.stream().filter(e -> e.userAgent().equals(i.userAgent())).toList());
      }
      assertThat(writes).as("every write names the instance that made it")
          .allMatch(e -> byInstance.values().stream().anyMatch(list -> list.contains(e)));
      List<AuditEvent> afterLoss = byInstance.get(second).stream().filter(e -> e.requestReceivedTimestamp().isAfter(lost)).toList();
      List<AuditEvent> replacements = byInstance.get(replacement);
      System.out.printf("MEASURE writes by %s after it lost the Lease: %d (%d while it led, %d between the Lease taken and its stop);"
              + " %s wrote %d after taking over, the first %d ms after %s stopped%n", second.name, afterLoss.size(),
          byInstance.get(second).size(), byInstance.get(second).stream()
              .filter(e -> e.requestReceivedTimestamp().isAfter(stolen) && !e.requestReceivedTimestamp().isAfter(lost)).count(),
          replacement.name, replacements.size(), replacements.isEmpty() ? -1
              : Duration.between(lost, replacements.get(0).requestReceivedTimestamp()).toMillis(), second.name);
      assertThat(afterLoss).as("writes of %s after it stopped leading at %s", second.name, lost).isEmpty();
      assertThat(byInstance.get(second)).as("%s wrote while it led", second.name).isNotEmpty()
          .allMatch(e -> !e.requestReceivedTimestamp().isBefore(secondAcquired));
      assertThat(byInstance.get(first)).as("%s wrote while it led", first.name).isNotEmpty()
          .allMatch(e -> !e.requestReceivedTimestamp().isBefore(firstAcquired) && e.requestReceivedTimestamp().isBefore(killed));
      assertThat(replacements).as("%s wrote once it led: the schedule held from %s too", replacement.name, second.name)
          .anyMatch(e -> e.objectRef().resource().equals("schedules"))
          .allMatch(e -> !e.requestReceivedTimestamp().isBefore(thirdAcquired));

      // the status branch: each instance committed only while it led, the old leader nothing of the pass it lost the Lease in
      List<RevCommit> commits = new ArrayList<>(remote.log(RunCommand.DEFAULT_STATUS_BRANCH));
      Collections.reverse(commits);
      System.out.println("status commits, oldest first: " + commits.stream().map(c -> c.getCommitterIdent().getName()).toList());
      List<Instance> leaders = List.of(first, second, replacement);
      List<Integer> writers = commits.stream().map(c -> leaders.stream().map(Instance::committer).toList()
          .indexOf(c.getCommitterIdent().getName())).toList();
      assertThat(writers).as("committed by the leaders, in the order they led").doesNotContain(-1).isSorted()
          .startsWith(0).endsWith(2);
      for (RevCommit c : commits) {
        Instance by = leaders.get(leaders.stream().map(Instance::committer).toList().indexOf(c.getCommitterIdent().getName()));
        assertThat(c.getAuthorIdent().getName()).isEqualTo("fleet-backup");
        long time = c.getCommitTime();
        if (by == first) {
          assertThat(time).as("written before the kill").isLessThanOrEqualTo(killed.getEpochSecond());
        } else if (by == second) {
          assertThat(time).as("written while it led").isBetween(secondAcquired.getEpochSecond(), lost.getEpochSecond());
          assertThat(c.getFullMessage()).as("no status of the pass it lost the Lease in").doesNotContain(probe.substring(0, 7));
        } else {
          assertThat(time).as("written after taking the Lease").isGreaterThanOrEqualTo(thirdAcquired.getEpochSecond());
        }
      }
    } finally {
      for (Instance instance : instances) {
        instance.process.destroyForcibly().waitFor();
        instance.printHighlights();
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    System.out.printf("MEASURE test: %d ms%n", Duration.between(started, Instant.now()).toMillis());
  }

  /**
   * One {@code fleet-backup run} in a JVM of its own, named {@code name} (as a Pod is), its logs as
   * JSON lines in {@code <dir>/instance-<name>.log}; touching {@code <dir>/trigger-<name>} starts a pass.
   */
  private record Instance(String name, Process process, Path log, Path trigger) {
    static Instance start(String name, Path dir, Path managementKubeconfig, ConfigRemote remote, Path secrets) throws IOException {
      Path log = dir.resolve("instance-" + name + ".log");
      Path trigger = dir.resolve("trigger-" + name);
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // C1 only: three product JVMs and the fleet share two cores, and a test run is too short for C2 to pay off
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "run", "--repo", remote.url(), "--secrets-dir", secrets.toString(), "--interval", "5s",
          "--trigger-file", trigger.toString(), "--log-format", "json",
          "--work-dir", dir.resolve("work-" + name).toString(),
          "--enable-leader-election",
          "--leader-election-lease-duration", TIMINGS.leaseDuration().toSeconds() + "s",
          "--leader-election-renew-deadline", TIMINGS.renewDeadline().toSeconds() + "s",
          "--leader-election-retry-period", TIMINGS.retryPeriod().toSeconds() + "s")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", managementKubeconfig.toString());
      builder.environment().put("POD_NAMESPACE", LEASE_NAMESPACE);
      builder.environment().put("POD_NAME", name);
      return new Instance(name, builder.start(), log, trigger);
    }

    /** What its member requests say they come from. */
    String userAgent() {
      return "fleet-backup/" + VersionProvider.projectVersion().orElseThrow() + " (" + name + ")";
    }

    /** Who its status commits say committed them (the author is fleet-backup, as configured). */
    String committer() {
      return "fleet-backup (" + name + ")";
    }

    void triggerPass() throws IOException {
      Files.writeString(trigger, Instant.now().toString());
    }

    boolean logged(String text) throws IOException {
      return events().anyMatch(e -> e.path("formattedMessage").asString("").contains(text));
    }

    /** When it stopped leading: its {@code lost Lease} line. */
    Instant lostLease() throws IOException {
      return events().filter(e -> e.path("formattedMessage").asString("").startsWith("lost Lease")).findFirst()
          .map(e -> Instant.ofEpochMilli(e.path("timestamp").asLong()))
          .orElseThrow(() -> new AssertionError(name + " logged no lost Lease, see " + log));
    }

    /** Its leadership and its warnings, for the test's output. */
    void printHighlights() throws IOException {
      events().filter(e -> !e.path("level").asString("").equals("INFO") || e.path("formattedMessage").asString("").matches(
              ".*(Lease|standing by|status not pushed).*"))
          .forEach(e -> System.out.println("instance " + name + ": " + Instant.ofEpochMilli(e.path("timestamp").asLong()) + " "
              + e.path("level").asString("") + " " + e.path("loggerName").asString("").replaceAll(".*\\.", "") + ": "
              + e.path("formattedMessage").asString("")));
    }

    /** The JSON lines of its log; anything else the JVM printed is left out. */
    private Stream<JsonNode> events() throws IOException {
      return Files.readAllLines(log).stream().filter(l -> l.startsWith("{") && l.endsWith("}")).map(JSON::readTree);
    }
  }

  private static void awaitHolder(KubernetesClient management, Instance instance, Duration within) {
    await(instance.name + " holds the Lease").atMost(within).pollInterval(Duration.ofMillis(50))
        .until(() -> lease(management).map(l -> instance.name.equals(l.getSpec().getHolderIdentity())).orElse(false));
  }

  private static Instant acquired(KubernetesClient management) {
    return lease(management).orElseThrow().getSpec().getAcquireTime().toInstant();
  }

  /**
   * Writes {@code holder} into the Lease, renewed now, as an instance that took it over would; again
   * when the leader's renewal came first (a conflict).
   */
  private static void giveLease(KubernetesClient management, String holder) {
    await("the Lease given to " + holder).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(() -> {
          ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
          management.leases().inNamespace(LEASE_NAMESPACE).withName(Leadership.DEFAULT_LEASE_NAME).edit(l -> new LeaseBuilder(l)
              .editSpec().withHolderIdentity(holder).withAcquireTime(now).withRenewTime(now)
              .withLeaseDurationSeconds((int) TIMINGS.leaseDuration().toSeconds())
              .withLeaseTransitions(l.getSpec().getLeaseTransitions() + 1).endSpec().build());
          return true;
        });
  }
  private static Optional<Lease> lease(KubernetesClient management) {
    return Optional.ofNullable(management.leases().inNamespace(LEASE_NAMESPACE).withName(Leadership.DEFAULT_LEASE_NAME).get());
  }

  private static Optional<WorkflowStatus> migration(ConfigRemote remote) {
    String json = remote.filesOf(RunCommand.DEFAULT_STATUS_BRANCH).get(StatusFiles.STATUS_JSON);
    return Optional.ofNullable(json).map(j -> new StatusFiles().parse(j.getBytes(StandardCharsets.UTF_8)))
        .map(StatusReport::migrations).flatMap(list -> list.stream().filter(w -> w.id().name().equals(MIGRATION)).findFirst());
  }

  // --- the application and Velero's objects ---------------------------------------------------

  /** A namespace with a ConfigMap, a Secret and a Service. */
  private static void app(KubernetesClient c) {
    Map<String, String> labels = Map.of("app", APP);
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(APP).withLabels(labels).endMetadata().build()).create();
    c.configMaps().inNamespace(APP).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withLabels(labels)
        .endMetadata().withData(Map.of("mode", "production", "config.yaml", "replicas: 3\n")).build()).create();
    c.secrets().inNamespace(APP).resource(new SecretBuilder().withNewMetadata().withName("token").withLabels(labels).endMetadata()
        .withType("Opaque").withStringData(Map.of("token", "s3cr3t")).build()).create();
    c.services().inNamespace(APP).resource(new ServiceBuilder().withNewMetadata().withName("web").withLabels(labels).endMetadata()
        .withNewSpec().withSelector(labels).addNewPort().withName("http").withPort(80).withNewTargetPort(8080).withProtocol("TCP")
        .endPort().endSpec().build()).create();
  }

  /** The fields of the application's objects that a migration must carry over. */
  private static Map<String, Object> snapshot(KubernetesClient c) {
    Map<String, Object> out = new TreeMap<>();
    ConfigMap cm = c.configMaps().inNamespace(APP).withName("settings").get();
    if (cm != null) {
      out.put("ConfigMap/settings", List.of(cm.getMetadata().getLabels().get("app"), cm.getData()));
    }
    Secret secret = c.secrets().inNamespace(APP).withName("token").get();
    if (secret != null) {
      out.put("Secret/token", List.of(secret.getMetadata().getLabels().get("app"), secret.getData()));
    }
    Service svc = c.services().inNamespace(APP).withName("web").get();
    if (svc != null) {
      out.put("Service/web", List.of(svc.getMetadata().getLabels().get("app"), svc.getSpec().getSelector(),
          svc.getSpec().getPorts().stream().map(p -> p.getPort() + "->" + p.getTargetPort().getIntVal()).toList()));
    }
    return out;
  }

  /** The Velero objects fleet-backup created under a run base (annotation {@code fleet-backup.dev/run}), synced copies left out. */
  private static List<GenericKubernetesResource> runs(KubernetesClient c, ResourceDefinitionContext kind, String base) {
    return c.genericKubernetesResources(kind).inNamespace("velero").list().getItems().stream()
        .filter(r -> base.equals(annotations(r).get("fleet-backup.dev/run")))
        .filter(r -> !synced(r))
        .toList();
  }

  /** Every Backup and Restore whose name or run mentions the migration, synced copies included. */
  private static List<String> allRunsOfTheMigration(KubernetesClient c) {
    return veleroRuns(c, Optional.of("-migrate-default-" + MIGRATION));
  }

  /** Every Backup and Restore in the cluster, or those whose name or run contain a text. */
  private static List<String> veleroRuns(KubernetesClient c, Optional<String> containing) {
    List<String> out = new ArrayList<>();
    for (ResourceDefinitionContext kind : List.of(BACKUPS, RESTORES)) {
      if (c.apiextensions().v1().customResourceDefinitions().withName(kind.getPlural() + ".velero.io").get() == null) {
        continue;
      }
      c.genericKubernetesResources(kind).inAnyNamespace().list().getItems().stream()
          .filter(r -> containing.map(s -> r.getMetadata().getName().contains(s)
              || annotations(r).getOrDefault("fleet-backup.dev/run", "").contains(s)).orElse(true))
          .forEach(r -> out.add(kind.getKind() + " " + r.getMetadata().getName() + (synced(r) ? " (synced)" : "")));
    }
    return out;
  }

  private static Map<String, String> annotations(GenericKubernetesResource r) {
    return r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
  }

  private static boolean synced(GenericKubernetesResource r) {
    Map<String, String> labels = r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
    return labels.getOrDefault("velero.io/storage-location", "").startsWith("readonly-");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }
}
