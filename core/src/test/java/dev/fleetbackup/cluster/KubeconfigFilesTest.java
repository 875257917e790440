package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.ObjectMeta;
import dev.fleetbackup.model.SecretKeyRef;
import dev.fleetbackup.model.SourceMap;
import io.fabric8.kubernetes.api.model.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig files merged as kubectl merges them, each cluster through its context, with the checks a kubeconfig Secret gets. */
class KubeconfigFilesTest {
  private static final String TOKEN = KubeconfigCheckTest.TOKEN;

  @TempDir
  Path dir;

  private static AttachedCluster cluster(String name) {
    return new AttachedCluster(new ObjectMeta(name, "default", Map.of(), Map.of()),
        new AttachedCluster.Spec(new SecretKeyRef(name, "value")), SourceMap.empty("clusters/" + name + ".yaml"));
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  /** Contexts and clusters in one file, users in the other, as a kubectl user who keeps credentials apart has them. */
  private List<Path> split(String userLines) throws Exception {
    Path a = file("a.config", """
        clusters:
        - name: member1
          cluster: {server: "https://127.0.0.1:6441"}
        - name: member2
          cluster: {server: "https://127.0.0.1:6442"}
        contexts:
        - name: member1
          context: {cluster: member1, user: admin1}
        - name: member2
          context: {cluster: member2, user: admin2}
        current-context: member1
        """);
    Path b = file("b.config", """
        users:
        - name: admin1
          user: {token: %s}
        - name: admin2
          user: {%s}
        current-context: member2
        """.formatted(TOKEN, userLines));
    return List.of(a, b);
  }

  private Config open(List<Path> files, Map<String, String> contexts, String cluster) throws CredentialsUnavailableException {
    KubeconfigFiles source = new KubeconfigFiles(files, contexts, KubeconfigFiles.NO_SECRETS, KubeconfigPolicy.STRICT);
    return KubeconfigCheck.check(cluster, source.kubeconfig(cluster(cluster)));
  }

  @Test
  void eachClusterIsReachedThroughTheContextOfItsNameAcrossTheFiles() throws Exception {
    List<Path> files = split("token: other-" + TOKEN);

    Config member1 = open(files, Map.of(), "member1");
    Config member2 = open(files, Map.of(), "member2");

    assertThat(member1.getClusters().get(0).getCluster().getServer()).isEqualTo("https://127.0.0.1:6441");
    assertThat(member1.getUsers().get(0).getUser().getToken()).isEqualTo(TOKEN);
    assertThat(member2.getClusters().get(0).getCluster().getServer()).isEqualTo("https://127.0.0.1:6442");
    assertThat(member2.getUsers().get(0).getUser().getToken()).isEqualTo("other-" + TOKEN);
  }

  @Test
  void contextMapsAClusterToAContextOfAnotherName() throws Exception {
    Config prod = open(split("token: x"), Map.of("prod", "member2"), "prod");

    assertThat(prod.getClusters().get(0).getCluster().getServer()).isEqualTo("https://127.0.0.1:6442");
  }

  @Test
  void theFirstFileToNameAnEntryWinsAndTheFirstCurrentContext() throws Exception {
    Path first = file("first.config", """
        clusters:
        - name: member1
          cluster: {server: "https://first.example"}
        """);
    List<Path> files = split("token: x");
    List<Path> all = List.of(first, files.get(0), files.get(1));

    assertThat(open(all, Map.of(), "member1").getClusters().get(0).getCluster().getServer()).isEqualTo("https://first.example");
    assertThat(KubeconfigMerge.of(all.stream().map(p -> new Kubeconfig.File(p.toString(), read(p))).toList()).currentContext())
        .contains("member1");
    assertThat(KubeconfigMerge.of(List.of(new Kubeconfig.File("b", read(files.get(1))), new Kubeconfig.File("a", read(files.get(0)))))
        .currentContext()).contains("member2");
  }

  @Test
  void anExecBlockInOneOfTheFilesIsRefusedNamingThatFileAndTheContext() throws Exception {
    List<Path> files = split("exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, touch-never], "
        + "env: [{name: T, value: " + TOKEN + "}]}");

    assertThatThrownBy(() -> open(files, Map.of(), "member2"))
        .isInstanceOf(KubeconfigRefusedException.class)
        .hasMessage("kubeconfig of cluster member2 (context member2 of " + files.get(0) + ", " + files.get(1) + "): "
            + files.get(1) + ": users[1].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)")
        .hasMessageNotContaining(TOKEN);
    // the other cluster's context does not use that user
    assertThat(open(files, Map.of(), "member1").getUsers().get(0).getUser().getToken()).isEqualTo(TOKEN);
  }

  @Test
  void aMissingContextIsThatClustersFailureNamingIt() throws Exception {
    List<Path> files = split("token: x");

    assertThatThrownBy(() -> open(files, Map.of(), "member3"))
        .isInstanceOf(CredentialsUnavailableException.class)
        .isNotInstanceOf(KubeconfigRefusedException.class)
        .hasMessage("kubeconfig of cluster member3 (context member3 of " + files.get(0) + ", " + files.get(1) + "): no context"
            + " \"member3\" in any of the files; map the cluster to one with --context member3=CONTEXT");
    assertThatThrownBy(() -> open(files, Map.of("prod", "staging"), "prod"))
        .hasMessageContaining("no context \"staging\" in any of the files");
  }

  @Test
  void aHostileFileIsRefusedNamingItWhateverTheContextNeeds() throws Exception {
    List<Path> files = split("token: x");
    Path aliases = file("c.config", "users: &u [*u]\n");
    Path tagged = file("d.config", "clusters: !!set {a: b}\n");
    Path big = file("e.config", "#" + "x".repeat(Kubeconfig.MAX_BYTES));

    assertThatThrownBy(() -> open(List.of(files.get(0), files.get(1), aliases), Map.of(), "member1"))
        .isInstanceOf(KubeconfigRefusedException.class).hasMessageEndingWith(aliases + ": a YAML alias at line 1, column 12; refused");
    assertThatThrownBy(() -> open(List.of(tagged, files.get(0)), Map.of(), "member1"))
        .isInstanceOf(KubeconfigRefusedException.class).hasMessageEndingWith(tagged + ": a YAML tag at line 1, column 11; refused");
    assertThatThrownBy(() -> open(List.of(files.get(0), big), Map.of(), "member1"))
        .isInstanceOf(CredentialsUnavailableException.class).hasMessage("kubeconfig of cluster member1 (context member1): " + big
            + " is larger than 1 MiB; refused");
  }

  @Test
  void twoEntriesOfOneNameInOneFileAreAmbiguousButAcrossFilesTheFirstWins() throws Exception {
    Path twice = file("twice.config", """
        clusters:
        - name: member1
          cluster: {server: "https://one.example"}
        - name: member1
          cluster: {server: "https://two.example"}
        """);
    List<Path> files = split("token: x");

    assertThatThrownBy(() -> open(List.of(twice, files.get(0), files.get(1)), Map.of(), "member1"))
        .isInstanceOf(KubeconfigRefusedException.class)
        .hasMessageEndingWith(files.get(0) + ": contexts[0].context.cluster names 2 entries of clusters; refused (which one is meant is not clear)");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
