package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's last "done when": two {@code fleet-backup run --enable-leader-election} instances, each
 * a JVM of its own, compete for the Lease in a management cluster while a migration moves an
 * application from member 1 to members 2 and 3. The leader is killed (SIGKILL) mid-migration; the
 * standby takes the Lease within the lease time and finishes the migration, doing no step twice.
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
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext RESTORES = velero("restores", "Restore");

  /** Short: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killingTheLeaderHandsOverWithinTheLeaseTimeAndTheMigrationFinishesOnce() throws Exception {
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

      for (String name : List.of("a", "b")) {
        instances.add(Instance.start(name, dir, fleet.member(MANAGEMENT).kubeconfig(), remote, secrets));
      }
      System.out.println("instance logs: " + instances.stream().map(i -> i.log.toString()).toList());
      AtomicReference<String> holder = new AtomicReference<>();
      await("one instance holds the Lease").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            holder.set(lease(management).map(l -> l.getSpec().getHolderIdentity()).orElse(null));
            return holder.get() != null;
          });
      Instance leader = instances.stream().filter(i -> i.name.equals(holder.get())).findFirst().orElseThrow();
      Instance standby = instances.stream().filter(i -> i != leader).findFirst().orElseThrow();

      AtomicReference<String> phaseAtKill = new AtomicReference<>("");
      await("the leader has the migration under way").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> {
            phaseAtKill.set(migration(remote).map(WorkflowStatus::phase).orElse(""));
            return phaseAtKill.get().equals("BackupInProgress") || phaseAtKill.get().equals("RestoreInProgress");
          });
      assertThat(leader.process.isAlive()).as("the leader runs until killed, see " + leader.log).isTrue();
      assertThat(standby.process.isAlive()).as("the standby stands by, see " + standby.log).isTrue();
      assertThat(lease(management).orElseThrow().getSpec().getHolderIdentity()).isEqualTo(leader.name);

      long killedAt = System.nanoTime();
      Instant killed = Instant.now();
      leader.process.destroyForcibly().waitFor();
      await("the standby holds the Lease").atMost(TIMINGS.leaseDuration().plus(WORST_RETRY).plusSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> lease(management).map(l -> standby.name.equals(l.getSpec().getHolderIdentity())).orElse(false));
      Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
      System.out.printf("MEASURE leader %s killed (migration %s) -> %s holds the Lease: %d ms (lease %d ms, retry %d ms)%n",
          leader.name, phaseAtKill.get(), standby.name, handover.toMillis(), TIMINGS.leaseDuration().toMillis(),
          TIMINGS.retryPeriod().toMillis());
      assertThat(handover).isLessThanOrEqualTo(TIMINGS.leaseDuration().plus(WORST_RETRY).plus(MARGIN));
      Lease taken = lease(management).orElseThrow();
      Instant acquired = taken.getSpec().getAcquireTime().toInstant();

      Instant t0 = Instant.now();
      await("the migration Completed by the new leader").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> migration(remote).map(WorkflowStatus::phase).orElse(""), "Completed"::equals);
      System.out.printf("MEASURE migration completed %d ms after the handover, %d ms after the test started%n",
          Duration.between(t0, Instant.now()).toMillis(), Duration.between(started, Instant.now()).toMillis());

      assertThat(standby.process.isAlive()).as("the new leader keeps leading, see " + standby.log).isTrue();
      Lease lease = lease(management).orElseThrow();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(standby.name);
      assertThat(lease.getSpec().getLeaseTransitions()).as("one handover: the leader never lost the Lease before the kill")
          .isEqualTo(1);

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

      // only the Lease holder wrote status: the killed leader before it died, the new one after it took the Lease
      List<RevCommit> commits = remote.log(RunCommand.DEFAULT_STATUS_BRANCH);
      List<String> authors = commits.stream().map(c -> c.getAuthorIdent().getName()).toList();
      System.out.println("status commits, newest first: " + authors);
      assertThat(authors).allMatch(a -> a.equals(author(leader.name)) || a.equals(author(standby.name)));
      assertThat(authors).contains(author(leader.name), author(standby.name));
      assertThat(authors.subList(0, authors.lastIndexOf(author(standby.name)) + 1)).as("the new leader's, then the old one's")
          .containsOnly(author(standby.name));
      for (RevCommit c : commits) {
        long time = c.getCommitTime();
        if (c.getAuthorIdent().getName().equals(author(leader.name))) {
          assertThat(time).as("written before the kill").isLessThanOrEqualTo(killed.getEpochSecond());
        } else {
          assertThat(time).as("written after taking the Lease").isGreaterThanOrEqualTo(acquired.getEpochSecond());
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

  /** One {@code fleet-backup run} in a JVM of its own, its output in {@code <dir>/instance-<name>.log}. */
  private record Instance(String name, Process process, Path log) {
    static Instance start(String name, Path dir, Path managementKubeconfig, ConfigRemote remote, Path secrets) throws IOException {
      Path log = dir.resolve("instance-" + name + ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "run", "--repo", remote.url(), "--secrets-dir", secrets.toString(), "--interval", "5s",
          "--work-dir", dir.resolve("work-" + name).toString(), "--author-name", author(name),
          "--enable-leader-election",
          "--leader-election-lease-duration", TIMINGS.leaseDuration().toSeconds() + "s",
          "--leader-election-renew-deadline", TIMINGS.renewDeadline().toSeconds() + "s",
          "--leader-election-retry-period", TIMINGS.retryPeriod().toSeconds() + "s")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", managementKubeconfig.toString());
      builder.environment().put("POD_NAMESPACE", LEASE_NAMESPACE);
      builder.environment().put("POD_NAME", name);
      return new Instance(name, builder.start(), log);
    }

    /** Its leadership and its warnings, for the test's output. */
    void printHighlights() throws IOException {
      try (var lines = Files.lines(log)) {
        lines.filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Lease") || l.contains("standing by"))
            .forEach(l -> System.out.println("instance " + name + ": " + l));
      }
    }
  }

  private static String author(String instance) {
    return "fleet-backup-" + instance;
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
