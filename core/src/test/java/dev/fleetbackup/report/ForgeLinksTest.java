package dev.fleetbackup.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForgeLinksTest {
  private static final String SHA = "4f2c9e1b7d3a5c8e9f0a1b2c3d4e5f6a7b8c9d0e";

  private static Optional<String> link(String remote) {
    return ForgeLinks.forRemote(remote).flatMap(f -> f.blob(SHA, "backups/nightly.yaml", 7));
  }

  @Test
  void githubGitlabAndGiteaAreKnownByTheirHostsOverHttpsAndSsh() {
    assertThat(link("https://github.com/platform/backup-policies.git"))
        .contains("https://github.com/platform/backup-policies/blob/" + SHA + "/backups/nightly.yaml#L7");
    assertThat(link("git@github.com:platform/backup-policies.git"))
        .contains("https://github.com/platform/backup-policies/blob/" + SHA + "/backups/nightly.yaml#L7");
    assertThat(link("ssh://git@gitlab.example.com:2222/infra/backup/policies.git"))
        .contains("https://gitlab.example.com/infra/backup/policies/-/blob/" + SHA + "/backups/nightly.yaml#L7");
    assertThat(link("https://gitea.example.com:3000/ops/policies"))
        .contains("https://gitea.example.com:3000/ops/policies/src/commit/" + SHA + "/backups/nightly.yaml#L7");
    assertThat(link("https://codeberg.org/ops/policies.git")).get().asString().startsWith("https://codeberg.org/ops/policies/src/commit/");
  }

  @Test
  void anUnknownHostOrALocalRepoHasNoLinks() {
    assertThat(ForgeLinks.forRemote("https://git.example.com/ops/policies.git")).isEmpty();
    assertThat(ForgeLinks.forRemote("file:///srv/git/policies.git")).isEmpty();
    assertThat(ForgeLinks.forRemote("/srv/git/policies.git")).isEmpty();
  }

  @Test
  void aTokenInTheRemotesUrlNeverReachesALink() {
    assertThat(link("https://x-access-token:ghp_s3cr3t@github.com/platform/backup-policies.git")).get().asString()
        .startsWith("https://github.com/platform/backup-policies/blob/").doesNotContain("s3cr3t", "x-access-token");
  }

  @Test
  void theOperatorsTemplateTakesTheRepoFromTheRemote() {
    ForgeLinks links = ForgeLinks.template("https://git.example/{repo}/src/commit/{commit}/{path}#L{line}",
        "ssh://git@git.example/ops/policies.git");

    assertThat(links.blob(SHA, "restores/shop.yaml", 12))
        .contains("https://git.example/ops/policies/src/commit/" + SHA + "/restores/shop.yaml#L12");
  }

  @Test
  void aTemplateThatCouldBreakOutOfTheLinkOrMissesItsPartsIsRefused() {
    assertThatThrownBy(() -> ForgeLinks.template("javascript:alert(1)//{commit}{path}", "https://git.example/a/b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is no http(s) URL");
    assertThatThrownBy(() -> ForgeLinks.template("https://git.example/{repo}/x)/{commit}/{path}", "https://git.example/a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ForgeLinks.template("https://git.example/{repo}/{path}", "https://git.example/a/b"))
        .hasMessageContaining("has no {commit}");
    assertThatThrownBy(() -> ForgeLinks.template("https://git.example/{repo}/{commit}/{path}", "/srv/git/policies.git"))
        .hasMessageContaining("names no repository path");
  }

  @Test
  void everyPartOfAHostilePathIsPercentEncodedAndDotSegmentsGetNoLink() {
    ForgeLinks github = ForgeLinks.forRemote("https://github.com/o/r").orElseThrow();

    assertThat(github.blob(SHA, "a)b](javascript:x).yaml", 1))
        .contains("https://github.com/o/r/blob/" + SHA + "/a%29b%5D%28javascript%3Ax%29.yaml#L1");
    assertThat(github.blob(SHA, "dir/é <x>\".yaml", 2)).contains("https://github.com/o/r/blob/" + SHA
        + "/dir/%C3%A9%20%3Cx%3E%22.yaml#L2");
    assertThat(github.blob(SHA, "../../other/repo/x.yaml", 1)).isEmpty();
    assertThat(github.blob(SHA, "a/./x.yaml", 1)).isEmpty();
    assertThat(github.blob("main)(javascript:x", "x.yaml", 1)).as("a commit that is no SHA").isEmpty();
  }
}
