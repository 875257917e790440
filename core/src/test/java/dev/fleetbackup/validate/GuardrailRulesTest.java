package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardrailRulesTest {
  private static final Validator VALIDATOR = new Validator();

  @TempDir
  Path dir;

  private int repos;

  private static List<String> problems(ConfigRepo repo, Guardrails guardrails) {
    try {
      return VALIDATOR.withGuardrails(guardrails).validate(new DirectoryReader(repo.root).read("test", "")).diagnostics().stream()
          .map(Diagnostic::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Guardrails hosts(String... entries) {
    return new Guardrails(List.of(entries).stream().map(AllowedHost::parse).toList(), Guardrails.DEFAULTS.refusedTargetNamespaces(),
        Guardrails.DEFAULTS.allowedStorageConfigKeys());
  }

  /** The sample repo with its fleet's storage location replaced: the endpoint on line 20, the config entry on line 23. */
  private ConfigRepo fleet(String provider, String endpoint, String configEntry) {
    return ConfigRepo.sample(dir.resolve("repo" + repos++)).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clusters:
            - name: kurator-member1
              kind: AttachedCluster
            - name: kurator-member2
              kind: AttachedCluster
            - name: kurator-member3
              kind: AttachedCluster
          plugin:
            backup:
              storage:
                location:
                  bucket: velero
                  provider: %s
                  endpoint: "%s"
                  region: minio
                  config:
                    %s
                secretName: minio-credentials
        """.formatted(provider, endpoint, configEntry));
  }

  private ConfigRepo endpoint(String endpoint) {
    return fleet("aws", endpoint, "s3ForcePathStyle: \"true\"");
  }

  /** The sample repo with restores/x.yaml: its policy from line 8 on. */
  private ConfigRepo restore(String policyLines) {
    return ConfigRepo.sample(dir.resolve("repo" + repos++)).write("restores/x.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: x
          namespace: default
        spec:
          backupName: shop-pre-upgrade
          policy:
        %s""".formatted(policyLines.stripIndent().indent(4)));
  }

  // --- storage hosts ---------------------------------------------------------------------

  @Test
  void theMetadataServiceIsRefusedAsAnEndpointByDefault() {
    assertThat(endpoint("http://169.254.169.254/latest/meta-data").problems()).containsExactly(
        "fleet/quickstart.yaml:20:21: error: endpoint \"http://169.254.169.254/latest/meta-data\": host \"169.254.169.254\" is a "
            + "link-local address (169.254.0.0/16), where cloud metadata services answer (guardrail --allowed-storage-hosts)");
  }

  @Test
  void metadataNamesAndAddressesOutsideLinkLocalAndEveryWayOfWritingThemAreRefused() {
    List<String> refused = List.of("http://metadata.google.internal/computeMetadata/v1", "http://METADATA.google.internal./",
        "http://[fd00:ec2::254]/latest", "http://100.100.100.200/latest/meta-data", "https://[fe80::1%25eth0]:9000",
        "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://169.254.169.254./", "http://169.254.170.2/v2/credentials");
    for (String url : refused) {
      assertThat(endpoint(url).problems()).as(url).singleElement().asString()
          .startsWith("fleet/quickstart.yaml:20:21: error: endpoint \"" + url + "\": host ")
          .endsWith(" (guardrail --allowed-storage-hosts)");
    }
  }

  @Test
  void numbersThatSomeResolversReadAsAnAddressAreNotHosts() {
    for (String host : List.of("2852039166", "0251.0376.0251.0376", "0xa9fea9fe", "169.254.43518")) {
      assertThat(endpoint("http://" + host + "/").problems()).as(host).containsExactly("fleet/quickstart.yaml:20:21: error: endpoint \"http://"
          + host + "/\": host \"" + host + "\" is not a valid IPv4 address: write it as four decimal numbers, such as 10.0.0.1");
    }
  }

  @Test
  void loopbackPrivateAndClusterHostsStayAllowedByDefault() {
    for (String url : List.of("http://127.0.0.1:9000", "https://[::1]:9000", "http://minio.velero.svc:9000", "https://10.0.0.5",
        "https://s3.eu-central-1.amazonaws.com", "https://obs.cn-south-1.myhuaweicloud.com")) {
      assertThat(endpoint(url).problems()).as(url).isEmpty();
    }
  }

  @Test
  void anEntryOtherThanAnyAllowsALinkLocalOrMetadataHost() {
    ConfigRepo linkLocal = endpoint("http://169.254.10.20:9000");
    assertThat(problems(linkLocal, hosts("*", "169.254.10.20"))).isEmpty();
    assertThat(problems(linkLocal, hosts("169.254.0.0/16"))).isEmpty();
    assertThat(problems(endpoint("http://metadata.google.internal"), hosts("*", "metadata.google.internal"))).isEmpty();
    assertThat(problems(linkLocal, hosts("*", "10.0.0.0/8"))).singleElement().asString().contains("is a link-local address");
  }

  @Test
  void withAnAllowListOnlyItsHostsAreAllowed() {
    Guardrails guardrails = hosts("minio.velero.svc", "*.storage.example.com", "10.0.0.0/8", "fd00::/8");
    for (String url : List.of("http://minio.velero.svc:9000", "https://eu.storage.example.com", "http://10.200.0.1", "http://[fd00::9]")) {
      assertThat(problems(endpoint(url), guardrails)).as(url).isEmpty();
    }
    assertThat(problems(endpoint("https://storage.example.com"), guardrails)).containsExactly(
        "fleet/quickstart.yaml:20:21: error: endpoint \"https://storage.example.com\": host \"storage.example.com\" is not an allowed "
            + "storage host (guardrail --allowed-storage-hosts)");
    assertThat(problems(endpoint("http://11.0.0.1"), guardrails)).singleElement().asString().contains("is not an allowed storage host");
  }

  @Test
  void anEndpointIsAnHttpUrlWithAHostAndNoCredentials() {
    assertThat(endpoint("ftp://minio:21").problems())
        .containsExactly("fleet/quickstart.yaml:20:21: error: endpoint \"ftp://minio:21\": must be an http:// or https:// URL");
    assertThat(endpoint("http:///bucket").problems())
        .containsExactly("fleet/quickstart.yaml:20:21: error: endpoint \"http:///bucket\": has no host");
    assertThat(endpoint("http://admin:hunter2@minio:9000").problems()).containsExactly(
        "fleet/quickstart.yaml:20:21: error: endpoint \"http://…@minio:9000\": must not carry a user name or password");
    assertThat(endpoint("http://admin:hunter2@169.254.169.254./").problems()).containsExactly(
        "fleet/quickstart.yaml:20:21: error: endpoint \"http://…@169.254.169.254./\": must not carry a user name or password");
  }

  @Test
  void configUrlsAreCheckedLikeTheEndpoint() {
    assertThat(fleet("aws", "http://minio:9000", "publicUrl: http://169.254.169.254").problems()).containsExactly(
        "fleet/quickstart.yaml:23:24: error: config publicUrl \"http://169.254.169.254\": host \"169.254.169.254\" is a link-local "
            + "address (169.254.0.0/16), where cloud metadata services answer (guardrail --allowed-storage-hosts)");
    assertThat(fleet("aws", "http://minio:9000", "s3Url: file:///etc/passwd").problems())
        .containsExactly("fleet/quickstart.yaml:23:20: error: config s3Url \"file:///etc/passwd\": must be an http:// or https:// URL");
    assertThat(fleet("aws", "http://minio:9000", "publicUrl: https://minio.example.com").problems()).isEmpty();
  }

  // --- storage config keys ---------------------------------------------------------------

  @Test
  void configKeysThatNameAFileInTheVeleroPodAreRefusedByDefault() {
    assertThat(fleet("aws", "http://minio:9000", "credentialsFile: /var/run/secrets/kubernetes.io/serviceaccount/token").problems())
        .containsExactly("fleet/quickstart.yaml:23:30: error: config key \"credentialsFile\" is not an allowed BackupStorageLocation "
            + "config key (guardrail --allowed-storage-config-keys)");
    assertThat(fleet("huaweicloud", "https://obs.cn-south-1.myhuaweicloud.com", "customerKeyEncryptionFile: /credentials/cloud").problems())
        .singleElement().asString().contains("config key \"customerKeyEncryptionFile\" is not an allowed");
  }

  @Test
  void anUnknownConfigKeyIsRefusedWithTheNearestAllowedOne() {
    assertThat(fleet("aws", "http://minio:9000", "s3URL: http://minio:9000").problems()).containsExactly(
        "fleet/quickstart.yaml:23:20: error: config key \"s3URL\" is not an allowed BackupStorageLocation config key "
            + "(did you mean \"s3Url\"?) (guardrail --allowed-storage-config-keys)");
  }

  @Test
  void aKeyIsQuotedAsOneInertLine() {
    assertThat(fleet("aws", "http://minio:9000", "\"::warning ::x\\u202e\\nnext\": \"1\"").problems()).singleElement().asString()
        .contains("config key \"\\x3a:warning ::x\\u202e\\nnext\" is not an allowed");
  }

  @Test
  void theOperatorCanAllowAnotherConfigKey() {
    Guardrails guardrails = new Guardrails(List.of(AllowedHost.ANY), Guardrails.DEFAULTS.refusedTargetNamespaces(),
        List.of("region", "credentialsFile"));
    assertThat(problems(fleet("aws", "http://minio:9000", "credentialsFile: /credentials/other"), guardrails)).isEmpty();
    assertThat(problems(fleet("aws", "http://minio:9000", "tagging: a=b&c=d"), guardrails))
        .singleElement().asString().contains("config key \"tagging\" is not an allowed");
  }

  // --- target namespaces -----------------------------------------------------------------

  @Test
  void aRestoreMappedIntoKubeSystemIsRefusedByDefault() {
    ConfigRepo repo = restore("""
        namespaceMapping:
          shop: kube-system
        """);
    assertThat(repo.problems()).containsExactly(
        "restores/x.yaml:10:13: error: namespaceMapping target \"kube-system\" is a refused namespace (guardrail --refused-target-namespaces)");
  }

  @Test
  void anIncludedRefusedNamespaceRestoredInPlaceIsRefusedAndMappedElsewhereIsFine() {
    assertThat(restore("""
        resourceFilter:
          includedNamespaces: [shop, kube-public]
        """).problems()).containsExactly("restores/x.yaml:10:34: error: included namespace \"kube-public\" would be restored in place, "
        + "into a refused namespace; map it to another one with namespaceMapping (guardrail --refused-target-namespaces)");
    assertThat(restore("""
        resourceFilter:
          includedNamespaces: [kube-system]
        namespaceMapping:
          kube-system: kube-system-copy
        """).problems()).isEmpty();
  }

  @Test
  void velerosOwnNamespaceIsRefusedToo() {
    assertThat(restore("""
        namespaceMapping:
          shop: velero
        """).problems()).singleElement().asString().contains("namespaceMapping target \"velero\" is a refused namespace");
    assertThat(Guardrails.DEFAULTS.refusedTargetNamespaces()).contains(dev.fleetbackup.plan.PlanSettings.DEFAULTS.namespace());
  }

  @Test
  void aMigrationIsHeldToTheSameNamespaces() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("migrations/shop-to-members.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Migrate
        metadata:
          name: shop-to-members
          namespace: default
        spec:
          sourceCluster:
            fleet: quickstart
            clusters: [{name: kurator-member1, kind: AttachedCluster}]
          targetCluster:
            fleet: quickstart
            clusters: [{name: kurator-member2, kind: AttachedCluster}]
          policy:
            resourceFilter:
              includedNamespaces: [kube-node-lease]
            namespaceMapping:
              shop: kube-system
        """);
    assertThat(repo.problems()).containsExactly(
        "migrations/shop-to-members.yaml:15:28: error: included namespace \"kube-node-lease\" would be restored in place, into a refused "
            + "namespace; map it to another one with namespaceMapping (guardrail --refused-target-namespaces)",
        "migrations/shop-to-members.yaml:17:13: error: namespaceMapping target \"kube-system\" is a refused namespace "
            + "(guardrail --refused-target-namespaces)");
  }

  @Test
  void aRestoreOfEveryNamespaceIsValidBecauseThePlanExcludesTheRefusedOnes() {
    assertThat(restore("preserveNodePorts: true\n").problems()).isEmpty();
    assertThat(restore("""
        resourceFilter:
          includedNamespaces: ["kube-*"]
        """).problems()).isEmpty();
  }

  @Test
  void theOperatorChoosesTheRefusedNamespaces() {
    ConfigRepo repo = restore("""
        namespaceMapping:
          shop: kube-system
          cart: production
        """);
    Guardrails productionOnly = new Guardrails(List.of(AllowedHost.ANY), List.of("production"), Guardrails.DEFAULTS.allowedStorageConfigKeys());
    assertThat(problems(repo, productionOnly)).singleElement().asString()
        .contains("namespaceMapping target \"production\" is a refused namespace");
    Guardrails none = new Guardrails(List.of(AllowedHost.ANY), List.of(), Guardrails.DEFAULTS.allowedStorageConfigKeys());
    assertThat(problems(repo, none)).isEmpty();
  }

  // --- the defaults keep the project's own repos valid --------------------------------------

  @Test
  void theSampleRepoAndTheIntegrationTestsRepoAreValidUnderTheDefaults() {
    assertThat(problems(ConfigRepo.sample(dir.resolve("sample")), Guardrails.DEFAULTS)).isEmpty();
    FleetRepo its = new FleetRepo(dir.resolve("its"), S3Server.DEFAULT_BUCKET, URI.create("http://127.0.0.1:39000"), S3Server.REGION)
        .nightly("0 2 * * *", "shop").selectLabels("shop").migrate("shop-to-members", "shop");
    assertThat(problems(ConfigRepo.empty(its.dir), Guardrails.DEFAULTS)).isEmpty();
  }
}
