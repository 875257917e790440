package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig opt-in flags at the command line, without a cluster: refused by default, honoured when given. */
class KubeconfigFlagsTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  /** A kubeconfig for a server nobody listens on, whose user runs a plugin that leaves a marker. */
  private Path execKubeconfig(Path marker) throws Exception {
    return Files.writeString(dir.resolve("kurator-member1.config"), """
        clusters:
        - name: m
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: m
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, "touch %s"]}
        contexts:
        - name: m
          context: {cluster: m, user: m}
        current-context: m
        """.formatted(marker));
  }

  @Test
  void diffRefusesAnExecKubeconfigAndRunsNothing() throws Exception {
    Path marker = dir.resolve("marker");
    Path kubeconfig = execKubeconfig(marker);

    int exit = cli.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "kurator-member1");

    assertThat(exit).isEqualTo(2);
    assertThat(cli.out.toString()).contains("kurator-member1  error      kubeconfig of cluster kurator-member1 (" + kubeconfig
        + "): users[0].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)\n");
    assertThat(marker).doesNotExist();
  }

  @Test
  void withTheFlagThePluginRuns() throws Exception {
    Path marker = dir.resolve("marker");
    execKubeconfig(marker);

    int exit = cli.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "kurator-member1",
        "--insecure-kubeconfig-exec");

    assertThat(exit).isEqualTo(2);
    assertThat(marker).exists();
    assertThat(cli.out.toString()).contains("kurator-member1  error      cannot reach https://127.0.0.1:1/");
  }

  @Test
  void insecureTlsIsRefusedUnlessAllowed() throws Exception {
    Files.writeString(dir.resolve("kurator-member1.config"), """
        clusters: [{name: m, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: m, user: {token: t}}]
        contexts: [{name: m, context: {cluster: m, user: m}}]
        current-context: m
        """);

    cli.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "kurator-member1");
    assertThat(cli.out.toString()).contains("clusters[0].cluster.server is plain http, the credentials would travel in clear; "
        + "refused (--insecure-kubeconfig-tls allows it)");

    Cli allowed = new Cli();
    allowed.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "kurator-member1",
        "--insecure-kubeconfig-tls");
    assertThat(allowed.out.toString()).contains("kurator-member1  error      cannot reach http://127.0.0.1:1/");
  }
}
