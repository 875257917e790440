package dev.fleetbackup.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.LogLines;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.report.StatusReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Commit statuses against a local server that takes each forge's documented endpoint, path,
 * headers and body: GitHub's and Gitea's {@code POST /repos/{owner}/{repo}/statuses/{sha}},
 * GitLab's {@code POST /projects/:id/statuses/:sha}.
 */
class CommitStatusTest {
  private static final Clock CLOCK = Clock.fixed(Reports.AT, ZoneOffset.UTC);
  private static final URI STATUS_PAGE = URI.create("https://github.com/platform/backup-policies/blob/fleet-backup/status/README.md");
  private static final String TOKEN = "tok_0123456789abcdef";

  private Receiver forge;

  @BeforeEach
  void start() throws Exception {
    forge = new Receiver();
  }

  @AfterEach
  void stop() {
    forge.close();
  }

  private void passes(Notifications.ForgeKind kind, String api, String repository, StatusReport... reports) {
    Notifications settings = new Notifications(List.of(),
        Optional.of(new Notifications.Forge(kind, forge.url(api), repository, TOKEN)), Optional.of(STATUS_PAGE), Duration.ofSeconds(5));
    try (Notifier notifier = new Notifier(settings, () -> Optional.of(Reports.healthy(Reports.GOOD)), CLOCK)) {
      for (StatusReport report : reports) {
        notifier.passed(report);
      }
    }
  }

  @Test
  void gitHubGetsFailureForARejectedCommitThenSuccessForTheNextOnceEach() {
    passes(Notifications.ForgeKind.GITHUB, "", "platform/backup-policies",
        Reports.rejected(Reports.BAD), Reports.rejected(Reports.BAD), Reports.healthy(Reports.NEXT), Reports.healthy(Reports.NEXT));

    List<Receiver.Request> sent = forge.requests();
    assertThat(sent).extracting(Receiver.Request::path).containsExactly(
        "/repos/platform/backup-policies/statuses/" + Reports.BAD.sha(),
        "/repos/platform/backup-policies/statuses/" + Reports.NEXT.sha());
    assertThat(sent).allSatisfy(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(r.header("Accept")).isEqualTo("application/vnd.github+json");
      assertThat(r.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
      assertThat(r.json().get("context").asString()).isEqualTo("fleet-backup");
      assertThat(r.json().get("target_url").asString()).isEqualTo(STATUS_PAGE.toString());
    });
    JsonNode rejected = sent.get(0).json();
    assertThat(rejected.get("state").asString()).isEqualTo("failure");
    assertThat(rejected.get("description").asString()).as("on one line, the bidi override shown as an escape")
        .isEqualTo("rejected: 2 errors, first backups/nightly.yaml:9:13: error: schedule \"<!channel> & *now* "
            + "<https://evil.example|click>\"\\n::warning::x \\u202e");
    assertThat(sent.get(1).json().get("state").asString()).isEqualTo("success");
    assertThat(sent.get(1).json().get("description").asString()).isEqualTo("applied to 2 clusters");
  }

  @Test
  void gitLabGetsItsOwnWordsAtTheProjectsEncodedPath() {
    passes(Notifications.ForgeKind.GITLAB, "/api/v4", "platform/backup-policies",
        Reports.memberFailed(MemberFailure.Reason.UNREACHABLE), Reports.memberFailed(MemberFailure.Reason.UNREACHABLE),
        Reports.healthy(Reports.GOOD), Reports.memberFailed(MemberFailure.Reason.OBJECTS_REFUSED), Reports.rejected(Reports.BAD));

    List<Receiver.Request> sent = forge.requests();
    assertThat(sent).extracting(Receiver.Request::path).containsOnly(
        "/api/v4/projects/platform%2Fbackup-policies/statuses/" + Reports.GOOD.sha(),
        "/api/v4/projects/platform%2Fbackup-policies/statuses/" + Reports.BAD.sha());
    assertThat(sent).allSatisfy(r -> {
      assertThat(r.header("PRIVATE-TOKEN")).isEqualTo(TOKEN);
      assertThat(r.header("Authorization")).isNull();
      assertThat(r.json().get("name").asString()).isEqualTo("fleet-backup");
    });
    assertThat(sent).extracting(r -> r.json().get("state").asString() + ": " + r.json().get("description").asString()).containsExactly(
        "pending: applied to 1 of 2 clusters; failed: kurator-member2 UNREACHABLE (tried again next pass)",
        "success: applied to 2 clusters",
        "failed: applied to 1 of 2 clusters; failed: kurator-member2 OBJECTS_REFUSED",
        "failed: rejected: 2 errors, first backups/nightly.yaml:9:13: error: schedule \"<!channel> & *now* "
            + "<https://evil.example|click>\"\\n::warning::x \\u202e",
        "success: applied to 2 clusters");
  }

  @Test
  void giteaGetsItsTokenHeaderAndAFailedSendIsLoggedWithoutIt() {
    String path = "/api/v1/repos/platform/backup-policies/statuses/" + Reports.BAD.sha();
    forge.answer(path, 401);
    try (LogLines log = LogLines.of(Notifier.class)) {
      passes(Notifications.ForgeKind.GITEA, "/api/v1", "platform/backup-policies", Reports.rejected(Reports.BAD));

      assertThat(log.lines()).containsExactly("WARN gitea commit status failure of 9b8a7c6 failed: HTTP 401");
    }

    Receiver.Request sent = forge.requests().get(0);
    assertThat(sent.path()).isEqualTo(path);
    assertThat(sent.header("Authorization")).isEqualTo("token " + TOKEN);
    assertThat(sent.json().get("state").asString()).isEqualTo("failure");
    assertThat(sent.json().get("context").asString()).isEqualTo("fleet-backup");
  }

  @Test
  void aDescriptionIsCutToGitHubsLimit() throws Exception {
    HttpRequest request = ForgeStatus.request(new Notifications.Forge(Notifications.ForgeKind.GITHUB, forge.url(""), "o/r", TOKEN),
        new CommitState(Reports.BAD.sha(), CommitState.State.FAILURE, "é".repeat(500)), Optional.empty(), Duration.ofSeconds(5));
    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());

    String sent = forge.requests().get(0).json().get("description").asString();
    assertThat(sent).hasSize(ForgeStatus.DESCRIPTION_LIMIT).endsWith("é…");
  }

  @Test
  void aRepositoryOrTokenThatWouldBendTheRequestIsRefused() {
    for (String repository : List.of("platform/../admin", "platform/backup-policies/extra", "platform/x?y", "a b/c")) {
      assertThat(refused(Notifications.ForgeKind.GITHUB, repository, TOKEN)).as(repository).isTrue();
    }
    assertThat(refused(Notifications.ForgeKind.GITLAB, "group/sub/project", TOKEN)).isFalse();
    assertThat(refused(Notifications.ForgeKind.GITEA, "platform/backup-policies", "tok\r\nX-Evil: 1")).isTrue();
  }

  private static boolean refused(Notifications.ForgeKind kind, String repository, String token) {
    try {
      new Notifications.Forge(kind, URI.create("https://forge.example.com/api"), repository, token);
      return false;
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).doesNotContain(token);
      return true;
    }
  }
}
