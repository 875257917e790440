package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.VeleroValues;
import dev.fleetbackup.model.ObjectMeta;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.model.SourceMap;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials read from Secrets of a real API server standing for the management cluster. */
class InClusterSecretsIT {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final String KUBECONFIG_TOKEN_MARKER = "token:";
  private static final String SECRET_KEY = "s3cr3t-never-shown";

  @TempDir static Path dir;
  static TestFleet fleet;
  static Member management;

  private String namespace;
  private InClusterSecrets secrets;

  @BeforeAll
  static void startManagementCluster() {
    fleet = TestFleet.start(dir, TestFleet.Options.members(List.of("management")));
    management = fleet.member("management");
  }

  @AfterAll
  static void stopManagementCluster() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @BeforeEach
  void newNamespace() {
    namespace = "team-" + NAMESPACES.incrementAndGet();
    management.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    secrets = new InClusterSecrets(management.client());
  }

  private void secret(String name, Map<String, String> values) {
    management.client().secrets().inNamespace(namespace).resource(
        new SecretBuilder().withNewMetadata().withName(name).endMetadata().withStringData(values).build()).create();
  }

  private AttachedCluster cluster(String name, String secret, String key) {
    return new AttachedCluster(new ObjectMeta(name, namespace, Map.of(), Map.of()),
        new AttachedCluster.Spec(new SecretKeyRef(secret, key)), SourceMap.empty("clusters/" + name + ".yaml"));
  }

  private Fleet fleet(String secretName) {
    return new Fleet(new ObjectMeta("quickstart", namespace, Map.of(), Map.of()),
        new Fleet.Spec(List.of(), Optional.of(new Fleet.Plugin(Optional.of(new Fleet.BackupConfig(Optional.empty(),
            new Fleet.Storage(new Fleet.Location("velero", "aws", "http://minio:9000", "minio", Map.of()), secretName),
            VeleroValues.NONE))))),
        SourceMap.empty("fleet/quickstart.yaml"));
  }

  @Test
  void readsTheKubeconfigFromTheNamedKeyInTheAttachedClustersNamespace() throws Exception {
    String text = Files.readString(management.kubeconfig());
    secret("member1", Map.of("member1.config", text));

    Kubeconfig kubeconfig = secrets.kubeconfig(cluster("member1", "member1", "member1.config"));

    assertThat(kubeconfig.files().get(0).text()).isEqualTo(text);
    assertThat(kubeconfig.origin()).isEqualTo("Secret " + namespace + "/member1 key member1.config");
    assertThat(kubeconfig.toString()).doesNotContain(KUBECONFIG_TOKEN_MARKER);
    try (MemberConnection connection = new MemberClients(MemberClients.Limits.DEFAULTS).open("member1", kubeconfig, new MemberBudget(Duration.ofMinutes(1)))) {
      assertThat(connection.get(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, namespace))).isPresent();
    }
  }

  @Test
  void kuratorsDefaultKeyIsValue() throws Exception {
    secret("member2", Map.of("value", "apiVersion: v1\nkind: Config\n"));

    assertThat(secrets.kubeconfig(cluster("member2", "member2", null)).files().get(0).text()).isEqualTo("apiVersion: v1\nkind: Config\n");
  }

  @Test
  void readsTheFleetsStorageCredentials() throws Exception {
    secret("minio-credentials", Map.of("access-key", "fleet-access", "secret-key", SECRET_KEY));

    StorageCredentials storage = secrets.storage(fleet("minio-credentials"));

    assertThat(storage.accessKey().reveal()).isEqualTo("fleet-access");
    assertThat(storage.secretKey().reveal()).isEqualTo(SECRET_KEY);
  }

  @Test
  void aMissingSecretOrKeyIsNamedWithoutAnyValue() {
    secret("half", Map.of("access-key", "fleet-access", "other", SECRET_KEY));

    assertThatThrownBy(() -> secrets.kubeconfig(cluster("member3", "member3", "member3.config")))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessage("kubeconfig of cluster member3: Secret " + namespace + "/member3 not found");
    assertThatThrownBy(() -> secrets.storage(fleet("half")))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessage("storage credentials of fleet quickstart: Secret " + namespace + "/half has no key secret-key")
        .hasMessageNotContaining(SECRET_KEY)
        .hasMessageNotContaining("fleet-access");
  }

  @Test
  void aKubeconfigSecretWithAnExecPluginIsRefusedBeforeAnythingRuns() throws Exception {
    Path marker = dir.resolve("marker-" + namespace);
    String text = Files.readString(management.kubeconfig()).replace("  user:\n",
        "  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, \"touch " + marker + "\"]}\n");
    secret("member1", Map.of("value", text));
    AttachedCluster cluster = cluster("member1", "member1", null);
    MemberClients clients = new MemberClients(MemberClients.Limits.DEFAULTS);

    assertThatThrownBy(() -> clients.open("member1", secrets.kubeconfig(cluster), new MemberBudget(Duration.ofMinutes(1))))
        .isInstanceOf(KubeconfigRefusedException.class)
        .hasMessage("kubeconfig of cluster member1 (Secret " + namespace + "/member1 key value): "
            + "users[0].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)");
    assertThat(marker).doesNotExist();

    KubeconfigPolicy allowExec = new KubeconfigPolicy(KubeconfigPolicy.ExecPlugins.ALLOWED, KubeconfigPolicy.Transport.VERIFIED_TLS);
    try (MemberConnection connection = clients.open("member1", new InClusterSecrets(management.client(), allowExec).kubeconfig(cluster), new MemberBudget(Duration.ofMinutes(1)))) {
      assertThat(marker).exists();
      assertThat(connection.get(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, namespace))).isPresent();
    }
  }

  @Test
  void aStorageKeyWithALineBreakInsideIsRefusedNamingTheSecretAndKey() {
    secret("minio-credentials", Map.of("access-key", "fleet-access", "secret-key", SECRET_KEY + "\n[evil]\ncredential_process=id"));

    assertThatThrownBy(() -> secrets.storage(fleet("minio-credentials")))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessage("storage credentials of fleet quickstart: Secret " + namespace + "/minio-credentials key secret-key"
            + " holds a control character (a line break would add lines to Velero's credentials file); refused")
        .hasMessageNotContaining(SECRET_KEY);
  }

  @Test
  void anOversizedStorageKeyIsRefusedBeforeItIsDecoded() {
    secret("minio-credentials", Map.of("access-key", "a".repeat(5000), "secret-key", SECRET_KEY));

    assertThatThrownBy(() -> secrets.storage(fleet("minio-credentials")))
        .hasMessage("storage credentials of fleet quickstart: Secret " + namespace + "/minio-credentials key access-key"
            + " is larger than 4 KiB; refused");
  }

  @Test
  void aServiceAccountWithoutAccessGetsAMessageThatSaysWhatToGrant() throws Exception {
    secret("minio-credentials", Map.of("access-key", "fleet-access", "secret-key", SECRET_KEY));
    management.client().serviceAccounts().inNamespace(namespace)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("fleet-backup").endMetadata().build()).create();
    String token = management.client().serviceAccounts().inNamespace(namespace).withName("fleet-backup")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();

    try (KubernetesClient unbound = new KubernetesClientBuilder().withConfig(new ConfigBuilder(management.client().getConfiguration())
        .withOauthToken(token).withAutoOAuthToken(null).withRequestRetryBackoffLimit(0).build()).build()) {
      assertThatThrownBy(() -> new InClusterSecrets(unbound).storage(fleet("minio-credentials")))
          .isInstanceOf(CredentialsUnavailableException.class)
          .hasMessage("storage credentials of fleet quickstart: Secret " + namespace + "/minio-credentials cannot be read "
              + "(403 Forbidden: grant get on Secrets in this namespace, for example a RoleBinding to ClusterRole fleet-backup-secret-reader)");
    }
  }

  @Test
  void anUnreachableManagementClusterFailsFastWithoutDetail() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KubernetesClient gone = new KubernetesClientBuilder().withConfig(new ConfigBuilder(management.client().getConfiguration())
        .withMasterUrl("https://127.0.0.1:" + closedPort).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2000).withRequestTimeout(2000).build()).build()) {
      assertThatThrownBy(() -> new InClusterSecrets(gone).kubeconfig(cluster("member1", "member1", "member1.config")))
          .isInstanceOf(CredentialsUnavailableException.class)
          .hasMessageStartingWith("kubeconfig of cluster member1: Secret " + namespace + "/member1 cannot be read (management cluster not reachable: ");
    }
  }
}
