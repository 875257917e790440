package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a member kubeconfig may say: the exact one-line refusal for each field that would do more than carry data. */
class KubeconfigCheckTest {
  static final String TOKEN = "s3cr3t-t0ken-never-shown";
  static final String ORIGIN = "Secret default/member2 key value";
  static final String PREFIX = "kubeconfig of cluster kurator-member2 (" + ORIGIN + "): ";
  static final String CA = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8));
  static final KubeconfigPolicy EXEC_ALLOWED =
      new KubeconfigPolicy(KubeconfigPolicy.ExecPlugins.ALLOWED, KubeconfigPolicy.Transport.VERIFIED_TLS);
  static final KubeconfigPolicy INSECURE_TLS_ALLOWED =
      new KubeconfigPolicy(KubeconfigPolicy.ExecPlugins.REFUSED, KubeconfigPolicy.Transport.INSECURE_ALLOWED);

  @TempDir
  Path dir;

  /** A kubeconfig with one context, its cluster carrying {@code clusterLines} and its user {@code userLines} (indented 4). */
  static String kubeconfig(String clusterLines, String userLines) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: member2
          cluster:
            server: https://127.0.0.1:6443
        %s
        users:
        - name: member2-admin
          user:
            token: %s
        %s
        contexts:
        - name: member2
          context:
            cluster: member2
            user: member2-admin
        current-context: member2
        """.formatted(indent(clusterLines), TOKEN, indent(userLines));
  }

  private static String indent(String lines) {
    return lines.isEmpty() ? "" : lines.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  static Config check(String text, KubeconfigPolicy policy) throws CredentialsUnavailableException {
    return KubeconfigCheck.check("kurator-member2", new Kubeconfig(ORIGIN, text, policy));
  }

  static void assertRefused(String text, KubeconfigPolicy policy, String message) {
    assertThatThrownBy(() -> check(text, policy))
        .isInstanceOf(KubeconfigRefusedException.class)
        .hasMessage(PREFIX + message)
        .hasMessageNotContaining(TOKEN);
  }

  static void assertRefused(String text, String message) {
    assertRefused(text, KubeconfigPolicy.STRICT, message);
  }

  @Test
  void inlineDataIsLetThroughAndNothingElse() throws Exception {
    Config safe = check(kubeconfig("certificate-authority-data: " + CA + "\nproxy-url: socks5://proxy.example:1080\nextensions: []",
        "as: reader\nas-groups: [viewers]\nas-user-extra: {team: [backup]}\nextensions: []"), KubeconfigPolicy.STRICT);

    assertThat(safe.getCurrentContext()).isEqualTo(KubeconfigCheck.NAME);
    Cluster cluster = safe.getClusters().get(0).getCluster();
    assertThat(cluster.getServer()).isEqualTo("https://127.0.0.1:6443");
    assertThat(cluster.getCertificateAuthorityData()).isEqualTo(CA);
    assertThat(cluster.getProxyUrl()).isEqualTo("socks5://proxy.example:1080");
    assertThat(cluster.getInsecureSkipTlsVerify()).isNull();
    assertThat(cluster.getExtensions()).isEmpty();
    AuthInfo user = safe.getUsers().get(0).getUser();
    assertThat(user.getToken()).isEqualTo(TOKEN);
    assertThat(user.getAs()).isEqualTo("reader");
    assertThat(user.getAsGroups()).containsExactly("viewers");
    assertThat(user.getAsUserExtra()).isEqualTo(Map.of("team", List.of("backup")));
    assertThat(user.getExec()).isNull();
    assertThat(user.getAuthProvider()).isNull();
  }

  @Test
  void onlyTheCurrentContextCounts() throws Exception {
    String text = """
        clusters:
        - name: other
          cluster: {server: "https://10.0.0.1", certificate-authority: /etc/passwd}
        - name: member2
          cluster: {server: "https://127.0.0.1:6443"}
        users:
        - name: other
          user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, "touch never"]}}
        - name: member2-admin
          user: {token: %s}
        contexts:
        - name: other
          context: {cluster: other, user: other}
        - name: member2
          context: {cluster: member2, user: member2-admin}
        current-context: member2
        """.formatted(TOKEN);

    Config safe = check(text, KubeconfigPolicy.STRICT);

    assertThat(safe.getClusters()).singleElement().satisfies(c -> assertThat(c.getCluster().getServer()).isEqualTo("https://127.0.0.1:6443"));
    assertThat(safe.getUsers()).singleElement().satisfies(u -> assertThat(u.getUser().getToken()).isEqualTo(TOKEN));
    assertRefused(text.replace("current-context: member2", "current-context: other"),
        "clusters[0].cluster.certificate-authority names a file; refused (only certificate-authority-data is accepted)");
  }

  @Test
  void withoutACurrentContextNothingIsGuessed() {
    assertRefused(kubeconfig("", "").replace("current-context: member2\n", ""),
        "current-context is not set; refused (fleet-backup uses the current context only)");
    assertRefused(kubeconfig("", "").replace("current-context: member2", "current-context: staging"),
        "current-context names no entry of contexts; refused");
    assertRefused(kubeconfig("", "").replace("    cluster: member2\n    user:", "    cluster: gone\n    user:"),
        "contexts[0].context.cluster names no entry of clusters; refused");
    assertRefused(kubeconfig("", "").replace("    user: member2-admin\n", ""), "contexts[0].context.user is not set; refused");
    assertRefused(kubeconfig("", "").replace("    cluster: member2\n", ""), "contexts[0].context.cluster is not set; refused");
  }

  @Test
  void twoEntriesOfTheSameNameAreAmbiguous() {
    String text = kubeconfig("", "").replace("users:\n", "users:\n- name: member2-admin\n  user: {token: other}\n");
    assertRefused(text, "contexts[0].context.user names 2 entries of users; refused (which one is meant is not clear)");
  }

  @Test
  void anExecPluginIsRefusedUnlessAllowed() throws Exception {
    String exec = "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/sh\n  args: [-c, touch MARKER]\n"
        + "  env: [{name: A, value: b}]\n  interactiveMode: Never";
    assertRefused(kubeconfig("", exec), "users[0].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)");

    var allowed = check(kubeconfig("", exec), EXEC_ALLOWED).getUsers().get(0).getUser().getExec();
    assertThat(allowed.getCommand()).isEqualTo("/bin/sh");
    assertThat(allowed.getArgs()).containsExactly("-c", "touch MARKER");
    assertThat(allowed.getEnv()).singleElement().satisfies(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("A=b"));
    assertRefused(kubeconfig("", "exec: {command: /bin/sh}"), EXEC_ALLOWED, "users[0].user.exec.apiVersion is not set; refused");
  }

  @Test
  void anAuthProviderIsAlwaysRefused() {
    assertRefused(kubeconfig("", "auth-provider: {name: oidc, config: {idp-issuer-url: https://idp.example}}"), EXEC_ALLOWED,
        "users[0].user.auth-provider would call out to a plugin or an identity provider; refused (use token or client-certificate-data)");
  }

  @ParameterizedTest
  @CsvSource({
      "user,    client-certificate, client-certificate-data",
      "user,    client-key,         client-key-data",
      "user,    tokenFile,          token",
      "cluster, certificate-authority, certificate-authority-data"})
  void noFileIsRead(String where, String field, String inline) {
    String line = field + ": /etc/passwd";
    String text = where.equals("user") ? kubeconfig("", line) : kubeconfig(line, "");
    assertRefused(text, new KubeconfigPolicy(KubeconfigPolicy.ExecPlugins.ALLOWED, KubeconfigPolicy.Transport.INSECURE_ALLOWED),
        (where.equals("user") ? "users[0].user." : "clusters[0].cluster.") + field + " names a file; refused (only " + inline + " is accepted)");
  }

  @Test
  void skippingTlsVerificationOrPlainHttpNeedsTheFlag() throws Exception {
    assertRefused(kubeconfig("insecure-skip-tls-verify: true", ""),
        "clusters[0].cluster.insecure-skip-tls-verify turns off verification of the server's certificate; refused (--insecure-kubeconfig-tls allows it)");
    assertRefused(kubeconfig("", "").replace("https://127.0.0.1:6443", "http://127.0.0.1:8080"),
        "clusters[0].cluster.server is plain http, the credentials would travel in clear; refused (--insecure-kubeconfig-tls allows it)");
    assertRefused(kubeconfig("insecure-skip-tls-verify: \"true\"", ""), INSECURE_TLS_ALLOWED,
        "clusters[0].cluster.insecure-skip-tls-verify must be true or false; refused");

    assertThat(check(kubeconfig("insecure-skip-tls-verify: true", ""), INSECURE_TLS_ALLOWED).getClusters().get(0).getCluster()
        .getInsecureSkipTlsVerify()).isTrue();
    assertThat(check(kubeconfig("", "").replace("https://127.0.0.1:6443", "http://127.0.0.1:8080"), INSECURE_TLS_ALLOWED)
        .getClusters().get(0).getCluster().getServer()).isEqualTo("http://127.0.0.1:8080");
    assertThat(check(kubeconfig("insecure-skip-tls-verify: false", ""), KubeconfigPolicy.STRICT).getClusters().get(0).getCluster()
        .getInsecureSkipTlsVerify()).isNull();
  }

  @Test
  void whatFabric8WouldIgnoreIsRefusedRatherThanIgnored() {
    assertRefused(kubeconfig("tls-server-name: api.internal", ""),
        "clusters[0].cluster.tls-server-name cannot be honoured by fleet-backup's HTTP client; refused (it would be ignored)");
    assertRefused(kubeconfig("", "as: reader\nas-uid: \"1000\""), "users[0].user.as-uid cannot be honoured by fabric8; refused (it would be ignored)");
  }

  @Test
  void valuesAreCheckedWithoutBeingQuoted() {
    assertRefused(kubeconfig("", "").replace("token: " + TOKEN, "token: \"" + TOKEN + "\\r\\nX-Injected: 1\""),
        "users[0].user.token holds a control character; refused");
    assertRefused(kubeconfig("", "").replace("token: " + TOKEN, "token: [" + TOKEN + "]"), "users[0].user.token must be a string; refused");
    assertRefused(kubeconfig("", "client-certificate-data: " + CA), "users[0].user.client-certificate-data comes without users[0].user.client-key-data; refused");
    assertRefused(kubeconfig("", "client-certificate-data: not*base64\nclient-key-data: " + CA),
        "users[0].user.client-certificate-data is not valid base64; refused");
    assertRefused(kubeconfig("", "password: " + TOKEN), "users[0].user.password comes without users[0].user.username; refused");
    assertRefused(kubeconfig("", "").replace("https://127.0.0.1:6443", "file:///etc/passwd"), "clusters[0].cluster.server is not an https URL; refused");
    assertRefused(kubeconfig("proxy-url: ftp://proxy:21", ""),
        "clusters[0].cluster.proxy-url is not an http, https or socks5 URL with a host and a port; refused");
  }

  @Test
  void base64AsGoReadsItMayBeWrapped() throws Exception {
    String wrapped = CA.substring(0, 8) + "\n" + CA.substring(8);
    assertThat(check(kubeconfig("certificate-authority-data: |\n  " + wrapped.replace("\n", "\n  "), ""), KubeconfigPolicy.STRICT)
        .getClusters().get(0).getCluster().getCertificateAuthorityData()).isEqualTo(CA);
  }

  @Test
  void oversizedInputIsRefusedBeforeItIsParsed() {
    String text = kubeconfig("", "") + "# " + "x".repeat(Kubeconfig.MAX_BYTES);
    assertRefused(text, "larger than 1 MiB; refused");
  }

  @Test
  void anAliasBombIsRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
      }
      bomb.append("]\n");
    }
    assertRefused(bomb + kubeconfig("", ""), "a YAML alias at line 2, column 8; refused");
  }

  @Test
  void hostileYamlIsRefusedByLineAndColumnNeverByItsText() {
    assertRefused("[".repeat(100_000), "nested deeper than 32 levels at line 1, column 33; refused");
    assertRefused(kubeconfig("", "").replace("token: " + TOKEN, "token: !!binary " + TOKEN), "a YAML tag at line 11, column 12; refused");
    assertRefused(kubeconfig("", "") + "---\n" + kubeconfig("", ""), "more than one YAML document at line 19, column 1; refused");
    assertRefused(kubeconfig("", "").replace("token: " + TOKEN, "token: " + TOKEN + "\n    token: " + TOKEN),
        "a repeated key at line 12, column 5; refused");
    assertRefused(kubeconfig("", "").replace("token: " + TOKEN, "token: \"" + TOKEN), "not valid YAML at line 19, column 1; refused");
    assertRefused("- " + TOKEN, "not a kubeconfig (a YAML mapping with clusters, users and contexts); refused");
  }

  @Test
  void theRefusalIsAlsoWhatMemberClientsSaysAndNoCommandRuns() throws Exception {
    Path marker = dir.resolve("marker");
    String text = kubeconfig("", "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, \"touch " + marker + "\"]}");

    assertThatThrownBy(() -> new MemberClients(MemberClients.Limits.DEFAULTS).open("kurator-member2",
        new Kubeconfig(ORIGIN, text, KubeconfigPolicy.STRICT), new MemberBudget(Duration.ofMinutes(1))))
        .isInstanceOf(KubeconfigRefusedException.class)
        .hasMessage(PREFIX + "users[0].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)");
    assertThat(marker).doesNotExist();
  }

  @Test
  void withTheExecFlagThePluginRunsAndItsTokenIsUsed() throws Exception {
    Path marker = dir.resolve("marker");
    Path credential = Files.writeString(dir.resolve("credential.json"),
        "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-plugin\"}}");
    String text = kubeconfig("", "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, \"touch "
        + marker + "; cat " + credential + "\"]}");

    try (MemberConnection c = new MemberClients(MemberClients.Limits.DEFAULTS).open("kurator-member2",
        new Kubeconfig(ORIGIN, text, EXEC_ALLOWED), new MemberBudget(Duration.ofMinutes(1)))) {
      assertThat(marker).exists();
      assertThat(((Fabric8Connection) c).client().getConfiguration().getAutoOAuthToken()).isEqualTo("from-plugin");
    }
  }

  @Test
  void aClientCertificateThatIsNoneFailsThatMemberWithoutQuotingIt() {
    String garbage = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    String text = kubeconfig("", "client-certificate-data: " + garbage + "\nclient-key-data: " + garbage);

    assertThatThrownBy(() -> new MemberClients(MemberClients.Limits.DEFAULTS).open("kurator-member2",
        new Kubeconfig(ORIGIN, text, KubeconfigPolicy.STRICT), new MemberBudget(Duration.ofMinutes(1))))
        .isExactlyInstanceOf(CredentialsUnavailableException.class)
        .hasMessage(PREFIX + "its certificate or key data cannot be used (KubernetesClientException)");
  }

  @Test
  void noFabric8AutoConfigurationSlipsIn() throws Exception {
    Path marker = dir.resolve("marker");
    Path hostile = Files.writeString(dir.resolve("hostile.config"), kubeconfig("insecure-skip-tls-verify: true",
        "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, \"touch " + marker + "\"]}")
        .replace("https://127.0.0.1:6443", "https://evil.example:6443"));
    Map<String, String> properties = Map.of("kubeconfig", hostile.toString(), "kubernetes.master", "https://evil.example:6443",
        "kubernetes.auth.token", "stolen", "kubernetes.trust.certificates", "true", "kubernetes.namespace", "evil",
        "kubernetes.impersonate.username", "system:admin", "kubernetes.https.proxy", "http://evil.example:3128");
    properties.forEach(System::setProperty);
    try (MemberConnection c = new MemberClients(MemberClients.Limits.DEFAULTS).open("kurator-member2",
        new Kubeconfig(ORIGIN, kubeconfig("", "as: reader"), KubeconfigPolicy.STRICT), new MemberBudget(Duration.ofMinutes(1)))) {
      io.fabric8.kubernetes.client.Config config = ((Fabric8Connection) c).client().getConfiguration();
      assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
      assertThat(config.getOauthToken()).isNull();
      assertThat(config.getAutoOAuthToken()).isEqualTo(TOKEN);
      assertThat(config.isTrustCerts()).isFalse();
      assertThat(config.isDisableHostnameVerification()).isFalse();
      assertThat(config.getNamespace()).isNull();
      assertThat(config.getImpersonateUsername()).isEqualTo("reader");
      assertThat(config.getHttpsProxy()).isNull();
      assertThat(config.getFile()).isNull();
      assertThat(config.getAutoConfigure()).isFalse();
      assertThat(config.refresh().getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
    assertThat(marker).doesNotExist();
  }
}
