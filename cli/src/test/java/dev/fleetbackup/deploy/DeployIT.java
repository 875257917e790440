package dev.fleetbackup.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.InClusterSecrets;
import dev.fleetbackup.cluster.MemberBudget;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/} on a real API server standing for the management cluster (three more stand for
 * the sample's member clusters): it renders, passes a server-side dry-run apply, and once applied
 * its ServiceAccount can do what fleet-backup needs in-cluster — read every credential of the
 * sample config repo from Secrets, lead on its Lease — and nothing more. Each test stands alone:
 * those that need the overlay applied apply it first (server-side apply, so again is a no-op).
 */
class DeployIT {
  private static final Path OVERLAY = Path.of("deploy", "overlays", "sample");
  private static final String SYSTEM = "fleet-backup-system";
  private static final String CONFIG_NAMESPACE = "default";
  /** Where the dry run goes: a cluster deploy/ is never applied to, so that "persists nothing" means something in any order. */
  private static final String DRY_RUN_CLUSTER = "kurator-member3";

  @TempDir static Path dir;
  static TestFleet fleet;
  static Member management;
  static String rendered;

  @BeforeAll
  static void startClustersAndRender() throws Exception {
    fleet = TestFleet.start(dir, TestFleet.Options.members(
        List.of("management", "kurator-member1", "kurator-member2", "kurator-member3")));
    management = fleet.member("management");
    rendered = kubectl(null, null, "kustomize", OVERLAY.toString());
  }

  @AfterAll
  static void stopClusters() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void overlayRendersAndPassesAServerSideDryRunApply() throws Exception {
    Member cluster = fleet.member(DRY_RUN_CLUSTER);
    // A dry run creates nothing, so the objects inside a namespace it would create would fail
    // with "namespace not found"; the namespace is the one thing made first.
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM).endMetadata().build())
        .serverSideApply();

    String out = kubectl(cluster, rendered, "apply", "--server-side", "--dry-run=server", "-f", "-");

    assertThat(out.lines()).containsExactlyInAnyOrder(
        "namespace/fleet-backup-system serverside-applied (server dry run)",
        "serviceaccount/fleet-backup serverside-applied (server dry run)",
        "role.rbac.authorization.k8s.io/fleet-backup-leader-election serverside-applied (server dry run)",
        "clusterrole.rbac.authorization.k8s.io/fleet-backup-secret-reader serverside-applied (server dry run)",
        "rolebinding.rbac.authorization.k8s.io/fleet-backup-secret-reader serverside-applied (server dry run)",
        "rolebinding.rbac.authorization.k8s.io/fleet-backup-leader-election serverside-applied (server dry run)",
        "configmap/" + configMapName() + " serverside-applied (server dry run)",
        "deployment.apps/fleet-backup serverside-applied (server dry run)",
        "poddisruptionbudget.policy/fleet-backup serverside-applied (server dry run)");
    KubernetesClient c = cluster.client();
    assertThat(c.apps().deployments().inNamespace(SYSTEM).withName("fleet-backup").get()).as("a dry run persists nothing").isNull();
    assertThat(c.serviceAccounts().inNamespace(SYSTEM).withName("fleet-backup").get()).isNull();
    assertThat(c.rbac().clusterRoles().withName("fleet-backup-secret-reader").get()).isNull();
    assertThat(c.rbac().roleBindings().inNamespace(CONFIG_NAMESPACE).withName("fleet-backup-secret-reader").get()).isNull();
  }

  @Test
  void theDeploymentRunsTwoRestrictedReplicasWithProbesOnTheOpsPort() {
    Deployment deployment = only(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("fleet-backup");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container manager = pod.getContainers().get(0);
    assertThat(manager.getImage()).isEqualTo("registry.example.com/platform/fleet-backup:0.1.0");
    assertThat(manager.getArgs()).startsWith("run", "--in-cluster");
    assertThat(manager.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(manager.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(manager.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(manager.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(manager.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));
    assertThat(manager.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
        .as("576 MiB of heap, as HostileCommitIT runs the worst commit in; out of memory, a restart")
        .satisfies(e -> assertThat(e.getValue()).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"));
    assertThat(manager.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("ops");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertThat(manager.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(manager.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(manager.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("ops");
    assertThat(manager.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/fleet-backup"));
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("work");
      assertThat(v.getEmptyDir()).isNotNull();
    });
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("git-credentials");
      assertThat(v.getSecret().getSecretName()).as("the overlay's Secret").isEqualTo("backup-policies-git");
    });

    // every $(VAR) in the arguments is defined, or Kubernetes passes it on literally
    Set<String> defined = new TreeSet<>(manager.getEnv().stream().map(EnvVar::getName).toList());
    io.fabric8.kubernetes.api.model.ConfigMap settings = only(io.fabric8.kubernetes.api.model.ConfigMap.class);
    defined.addAll(settings.getData().keySet());
    Matcher m = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(String.join(" ", manager.getArgs()));
    List<String> used = new ArrayList<>();
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used).isNotEmpty().allSatisfy(v -> assertThat(defined).contains(v));
    assertThat(settings.getData()).containsEntry("FLEET_BACKUP_REPO_URL", "https://git.example.com/platform/backup-policies.git");
  }

  @Test
  void rbacGrantsOnlySecretReadsByNameAndTheLeaseAndNothingClusterWide() {
    assertThat(objects(HasMetadata.class)).noneMatch(o -> o.getKind().equals("ClusterRoleBinding"));
    ClusterRole reader = only(ClusterRole.class);
    assertThat(reader.getRules()).singleElement().satisfies((PolicyRule r) -> {
      assertThat(r.getResources()).containsExactly("secrets");
      assertThat(r.getVerbs()).containsExactly("get");
    });
  }

  @Test
  void onceAppliedItsServiceAccountReadsSecretsOnlyInTheBoundNamespace() throws Exception {
    applyOverlay();
    KubernetesClient admin = management.client();
    admin.secrets().inNamespace(CONFIG_NAMESPACE).resource(secret("probe", Map.of("k", "v"))).serverSideApply();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("elsewhere").endMetadata().build()).serverSideApply();
    admin.secrets().inNamespace("elsewhere").resource(secret("probe", Map.of("k", "v"))).serverSideApply();

    try (KubernetesClient sa = asServiceAccount()) {
      assertThat(sa.secrets().inNamespace(CONFIG_NAMESPACE).withName("probe").get()).isNotNull();
      assertForbidden(() -> sa.secrets().inNamespace(CONFIG_NAMESPACE).list());
      assertForbidden(() -> sa.secrets().inNamespace("elsewhere").withName("probe").get());
      assertForbidden(() -> sa.secrets().inAnyNamespace().list());
      assertForbidden(() -> sa.secrets().inNamespace(SYSTEM).withName("backup-policies-git").get());
      assertForbidden(() -> sa.configMaps().inNamespace(SYSTEM).list());
      assertForbidden(() -> sa.leases().inNamespace(CONFIG_NAMESPACE).resource(lease("fleet-backup-leader")).create());
      assertForbidden(() -> sa.leases().inNamespace(SYSTEM).withName("someone-elses").get());
    }
  }

  @Test
  void inClusterModeReadsEveryCredentialOfTheSampleRepoFromSecrets() throws Exception {
    applyOverlay();
    PolicySet policies = sampleRepo();
    KubernetesClient admin = management.client();
    // the Secrets the sample repo names, made out of band as its README says
    for (AttachedCluster cluster : policies.clusters()) {
      String kubeconfig = Files.readString(fleet.member(cluster.name()).kubeconfig());
      admin.secrets().inNamespace(CONFIG_NAMESPACE).resource(
          secret(cluster.spec().kubeconfig().name(), Map.of(cluster.spec().kubeconfig().key(), kubeconfig))).serverSideApply();
    }
    admin.secrets().inNamespace(CONFIG_NAMESPACE).resource(
        secret("minio-credentials", Map.of("access-key", "fleet-access", "secret-key", "fleet-secret-0123"))).serverSideApply();

    try (KubernetesClient sa = asServiceAccount()) {
      CredentialSource credentials = new InClusterSecrets(sa);
      MemberClients clients = new MemberClients(MemberClients.Limits.DEFAULTS);
      assertThat(policies.clusters()).hasSize(3);
      for (AttachedCluster cluster : policies.clusters()) {
        try (MemberConnection member = clients.open(cluster.name(), credentials.kubeconfig(cluster), new MemberBudget(Duration.ofMinutes(1)))) {
          assertThat(member.server()).startsWith(fleet.member(cluster.name()).apiServerUrl().toString());
          assertThat(member.get(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, "default")))
              .as("%s answers with the kubeconfig read from its Secret", cluster.name()).isPresent();
        }
      }
      Fleet quickstart = policies.fleets().get(0);
      StorageCredentials storage = credentials.storage(quickstart);
      assertThat(storage.accessKey().reveal()).isEqualTo("fleet-access");
      assertThat(storage.secretKey().reveal()).isEqualTo("fleet-secret-0123");
      assertThat(storage.toString()).doesNotContain("fleet-secret-0123");
    }
  }

  @Test
  void itsServiceAccountMayLeadOnTheLease() throws Exception {
    applyOverlay();
    Health health = new Health(Clock.systemUTC(), Optional.empty());
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (KubernetesClient sa = asServiceAccount();
         Leadership leadership = new Leadership(sa,
             new Leadership.Settings(SYSTEM, Leadership.DEFAULT_LEASE_NAME, "fleet-backup-pod-a",
                 new Leadership.Timings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500))),
             health, listener(events))) {
      leadership.start();
      await().atMost(Duration.ofSeconds(20)).until(leadership::isLeader);
      Lease lease = management.client().leases().inNamespace(SYSTEM).withName(Leadership.DEFAULT_LEASE_NAME).get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("fleet-backup-pod-a");
      // renewals are patches: the renew time moves on
      var first = lease.getSpec().getRenewTime();
      await().atMost(Duration.ofSeconds(10)).until(() -> !management.client().leases().inNamespace(SYSTEM)
          .withName(Leadership.DEFAULT_LEASE_NAME).get().getSpec().getRenewTime().equals(first));
      assertThat(leadership.isLeader()).isTrue();
    }
    assertThat(events).containsExactly("start", "stop");
  }

  // --- helpers ----------------------------------------------------------------------------

  /** {@code kubectl apply --server-side} of the rendered overlay to the management cluster: the first time creates, then no-ops. */
  private static void applyOverlay() throws Exception {
    kubectl(management, rendered, "apply", "--server-side", "-f", "-");
  }

  private static Leadership.Listener listener(List<String> events) {
    return new Leadership.Listener() {
      @Override
      public void onStartLeading() {
        events.add("start");
      }

      @Override
      public void onStopLeading() {
        events.add("stop");
      }
    };
  }

  private static PolicySet sampleRepo() throws IOException {
    ValidationReport report = new Validator().validate(new DirectoryReader(Path.of("sample-repo")).read("working-tree", ""));
    assertThat(report.valid()).as(report.summary()).isTrue();
    return report.policies();
  }

  /** A client acting as the deployed ServiceAccount, with a token from the TokenRequest API. */
  private static KubernetesClient asServiceAccount() {
    String token = management.client().serviceAccounts().inNamespace(SYSTEM).withName("fleet-backup")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(management.client().getConfiguration())
        .withOauthToken(token).withAutoOAuthToken(null).withRequestRetryBackoffLimit(0).build()).build();
  }

  private static void assertForbidden(Runnable request) {
    assertThatThrownBy(request::run)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static io.fabric8.kubernetes.api.model.Secret secret(String name, Map<String, String> values) {
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withStringData(values).build();
  }

  private static Lease lease(String name) {
    return new LeaseBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withHolderIdentity("x").endSpec().build();
  }

  private static <T> List<T> objects(Class<T> type) {
    List<HasMetadata> all = management.client().load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
    return all.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  private static <T> T only(Class<T> type) {
    List<T> found = objects(type);
    assertThat(found).as("rendered objects of type %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static String configMapName() {
    return only(io.fabric8.kubernetes.api.model.ConfigMap.class).getMetadata().getName();
  }

  /** Runs the test kit's kubectl against {@code cluster} (none: no cluster needed); fails on a non-zero exit. */
  private static String kubectl(Member cluster, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(fleet.binaries().kubectl().toString()));
    if (cluster != null) {
      command.add("--kubeconfig=" + cluster.kubeconfig());
    }
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "kubectl", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s finished", args[0]).isTrue();
    String out = Files.readString(output);
    assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
