package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.pipeline.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members reached as kubectl reaches clusters, without a cluster: which way wins, what is a usage
 * error, and that a file or context one member cannot use fails that member alone.
 */
class KubectlAccessTest {
  private static final String TOKEN = "t0ken-never-shown";

  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  /** Contexts and clusters of kurator-member1 and kurator-member3 (nobody listens there); users in {@link #users}. */
  private Path contexts() throws Exception {
    return Files.writeString(dir.resolve("contexts.config"), """
        clusters:
        - name: m1
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: kurator-member1
          context: {cluster: m1, user: u1}
        - name: other
          context: {cluster: m1, user: u3}
        current-context: kurator-member1
        """);
  }

  private Path users(String thirdUser) throws Exception {
    return Files.writeString(dir.resolve("users.config"), """
        users:
        - name: u1
          user: {token: %s}
        - name: u3
          user: {%s}
        """.formatted(TOKEN, thirdUser));
  }

  @Test
  void eachMemberFailsOrGoesOnByItselfAcrossMergedFiles() throws Exception {
    Path contexts = contexts();
    Path users = users("exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'touch " + dir.resolve("marker")
        + "']}");

    int exit = cli.run("diff", "--repo", "sample-repo", "--kubeconfig", contexts.toString(), "--kubeconfig", users.toString(),
        "--context", "kurator-member3=other");

    String out = cli.out.toString();
    assertThat(exit).isEqualTo(2);
    assertThat(out).contains("kurator-member1  error      cannot reach https://127.0.0.1:1/");
    assertThat(out).contains("kurator-member2  error      kubeconfig of cluster kurator-member2 (context kurator-member2 of " + contexts
        + ", " + users + "): no context \"kurator-member2\" in any of the files; map the cluster to one with --context"
        + " kurator-member2=CONTEXT\n");
    assertThat(out).contains("kurator-member3  error      kubeconfig of cluster kurator-member3 (context other of " + contexts + ", "
        + users + "): " + users + ": users[1].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)\n");
    assertThat(out).doesNotContain(TOKEN);
    assertThat(dir.resolve("marker")).doesNotExist();
  }

  @Test
  void twoWaysToReachTheMembersAreAUsageError() throws Exception {
    Path contexts = contexts();

    assertThat(cli.run("diff", "--repo", "sample-repo", "--kubeconfig", contexts.toString(), "--kubeconfig-dir", dir.toString()))
        .isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("--kubeconfig and --kubeconfig-dir are two ways to reach the members; give one\n");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void contextNeedsKubeconfigFilesAndAMemberOfTheRepo() throws Exception {
    Cli secrets = new Cli();
    assertThat(secrets.run("apply", "--repo", "sample-repo", "--secrets-dir", dir.toString(), "--context", "kurator-member1=x"))
        .isEqualTo(2);
    assertThat(secrets.err.toString()).startsWith("--context maps members to contexts of the --kubeconfig files (or $KUBECONFIG's);"
        + " with --secrets-dir there are none\n");

    Cli unknown = new Cli();
    assertThat(unknown.run("diff", "--repo", "sample-repo", "--kubeconfig", contexts().toString(), "--context", "kurator-membr1=x"))
        .isEqualTo(2);
    assertThat(unknown.err.toString()).startsWith("--context: no member cluster named kurator-membr1 in the config repo\n");
    assertThat(unknown.out.toString()).as("no member was contacted").isEmpty();

    Cli noValue = new Cli();
    assertThat(noValue.run("diff", "--repo", "sample-repo", "--kubeconfig", contexts().toString(), "--context", "kurator-member1"))
        .isEqualTo(2);
    assertThat(noValue.err.toString()).contains("should be in KEY=VALUE format");
  }

  @Test
  void aKubeconfigFileThatIsNotThereIsAUsageError() {
    assertThat(cli.run("diff", "--repo", "sample-repo", "--kubeconfig", dir.resolve("nope").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("--kubeconfig " + dir.resolve("nope") + ": no such file\n");
  }

  @Test
  void theTimeoutsDefaultsAreShownAsTheFlagsTakeThemAndAreTheProducts() {
    assertThat(cli.run("diff", "--help")).isZero();
    String help = cli.out.toString().replaceAll("\\s+", " ");

    assertThat(help).contains("--request-timeout=DURATION How long one request to a member may take, from sending it to the last"
        + " byte of the answer, its retries included (default: 20s).");
    assertThat(help).contains("before that member is reported timed out and the others go on; time waiting for its turn is not"
        + " counted (default: 5m).");
    assertThat(help).contains("--timeout=DURATION How long the whole command may take;");
    assertThat(Main.duration("20s")).isEqualTo(MemberClients.Limits.DEFAULTS.request());
    assertThat(Main.duration("5m")).isEqualTo(Components.MEMBER_BUDGET);
  }

  @Test
  void aZeroTimeoutIsAUsageError() throws Exception {
    assertThat(cli.run("diff", "--repo", "sample-repo", "--kubeconfig", contexts().toString(), "--member-timeout", "0s")).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("--member-timeout 0s: a timeout must be more than 0s\n");
  }
}
