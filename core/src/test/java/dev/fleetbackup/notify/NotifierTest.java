package dev.fleetbackup.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.LogLines;
import dev.fleetbackup.report.StatusReport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Notifications over real HTTP to a local receiver standing in for a webhook, Slack and Teams. */
class NotifierTest {
  private static final Clock CLOCK = Clock.fixed(Reports.AT, ZoneOffset.UTC);
  private static final URI STATUS_PAGE = URI.create("https://git.example.com/platform/backup-policies/src/branch/fleet-backup/status");

  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Notifications everywhere(Duration timeout) {
    return new Notifications(List.of(
        new Notifications.Destination(Notifications.Format.WEBHOOK, receiver.url("/hook")),
        new Notifications.Destination(Notifications.Format.SLACK, receiver.url("/services/T000/B000/XXXX")),
        new Notifications.Destination(Notifications.Format.MSTEAMS, receiver.url("/webhookb2/teams"))),
        Optional.empty(), Optional.of(STATUS_PAGE), timeout);
  }

  private Notifier notifier(Notifications settings, Optional<StatusReport> onTheBranch) {
    return new Notifier(settings, () -> onTheBranch, CLOCK);
  }

  @Test
  void aRejectedCommitIsToldOnceToEachDestinationEachInItsFormatEscaped() throws Exception {
    try (Notifier notifier = notifier(everywhere(Duration.ofSeconds(5)), Optional.of(Reports.healthy(Reports.GOOD)))) {
      notifier.passed(Reports.rejected(Reports.BAD));
      notifier.passed(Reports.rejected(Reports.BAD));
      notifier.passed(Reports.rejected(Reports.BAD));
    }

    assertThat(receiver.requests()).as("once per transition, not every pass").hasSize(3)
        .allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"))
        .allSatisfy(r -> assertThat(r.header("Content-Type")).isEqualTo("application/json"));

    JsonNode hook = receiver.to("/hook").get(0).json();
    assertThat(hook.get("type").asString()).isEqualTo("commit_rejected");
    assertThat(hook.get("sha").asString()).isEqualTo(Reports.BAD.sha());
    assertThat(hook.get("summary").asString())
        .isEqualTo("commit main@sha1:9b8a7c6 was rejected: 2 errors; main@sha1:4f2c9e1 stays applied");
    assertThat(hook.get("statusPage").asString()).isEqualTo(STATUS_PAGE.toString());
    assertThat(hook.get("details").get(0).asString())
        .as("one line: the line break and the bidi override shown as escapes")
        .startsWith("backups/nightly.yaml:9:13: error: schedule \"<!channel> & *now*")
        .contains("\\n::warning::x \\u202e").doesNotContain("\n", "\u202e");

    JsonNode slack = receiver.to("/services/T000/B000/XXXX").get(0).json();
    String mrkdwn = slack.get("blocks").get(0).get("text").get("text").asString();
    assertThat(mrkdwn).startsWith("*❌ commit main@sha1:9b8a7c6 was rejected")
        .contains("&lt;!channel&gt; &amp; *now* &lt;https://evil.example|click&gt;")
        .doesNotContain("<!channel>", "<https://evil")
        .contains("\n• backups/weekly.yaml:3:1: error: missing field \"spec\"");
    assertThat(slack.get("text").asString()).startsWith("❌ commit main@sha1:9b8a7c6 was rejected");
    assertThat(slack.get("blocks").get(1).get("elements").get(0).get("text").asString()).isEqualTo("<" + STATUS_PAGE + "|status page>");

    JsonNode teams = receiver.to("/webhookb2/teams").get(0).json();
    JsonNode card = teams.get("attachments").get(0);
    assertThat(card.get("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode body = card.get("content").get("body");
    assertThat(card.get("content").get("type").asString()).isEqualTo("AdaptiveCard");
    assertThat(StreamSupport.stream(body.spliterator(), false).map(b -> b.get("type").asString()))
        .as("plain text runs: Teams reads no Markdown in them").containsOnly("RichTextBlock");
    assertThat(body.get(1).get("inlines").get(0).get("text").asString())
        .startsWith("• backups/nightly.yaml:9:13: error: schedule \"<!channel> & *now*");
    assertThat(card.get("content").get("actions").get(0).get("url").asString()).isEqualTo(STATUS_PAGE.toString());
  }

  @Test
  void aFailedRunAndItsRecoveryAreToldOnceEach() throws Exception {
    try (Notifier notifier = notifier(webhookOnly(), Optional.of(Reports.healthy(Reports.GOOD)))) {
      notifier.passed(Reports.healthy(Reports.GOOD));
      notifier.passed(Reports.lastRunFailed());
      notifier.passed(Reports.lastRunFailed());
      notifier.passed(Reports.healthy(Reports.GOOD));
      notifier.passed(Reports.healthy(Reports.GOOD));
    }

    List<JsonNode> sent = receiver.to("/hook").stream().map(Receiver.Request::json).toList();
    assertThat(sent).extracting(j -> j.get("type").asString()).containsExactly("run_failed", "recovered");
    assertThat(sent.get(0).get("summary").asString()).isEqualTo("Backup default/nightly failed: the last run failed in kurator-member2");
    assertThat(sent.get(0).get("details").get(0).asString())
        .isEqualTo("kurator-member2: kurator-member2-nightly-20260501020000 PartiallyFailed: 2 items failed: <pvc> & more");
    assertThat(sent.get(1).get("summary").asString()).isEqualTo("Backup default/nightly recovered: Enabled");
  }

  @Test
  void aValidCommitAfterARejectedOneIsARecovery() throws Exception {
    try (Notifier notifier = notifier(webhookOnly(), Optional.of(Reports.rejected(Reports.BAD)))) {
      notifier.passed(Reports.rejected(Reports.BAD));
      notifier.passed(Reports.healthy(Reports.NEXT));
    }

    List<JsonNode> sent = receiver.to("/hook").stream().map(Receiver.Request::json).toList();
    assertThat(sent).as("the rejection was told before this process started: the status branch says so").hasSize(1);
    assertThat(sent.get(0).get("type").asString()).isEqualTo("recovered");
    assertThat(sent.get(0).get("summary").asString())
        .isEqualTo("commit main@sha1:0a1b2c3 is valid and applied; main@sha1:9b8a7c6 was rejected before it");
  }

  @Test
  void aStatusBranchThatCannotBeReadMakesTheFirstPassTheBaseline() throws Exception {
    try (LogLines log = LogLines.of(Notifier.class);
         Notifier notifier = new Notifier(webhookOnly(), () -> {
           throw new IllegalStateException("fetch failed");
         }, CLOCK)) {
      notifier.passed(Reports.rejected(Reports.BAD));
      notifier.passed(Reports.rejected(Reports.NEXT));
      notifier.close();

      assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN notifications: the last status cannot be read"));
    }

    assertThat(receiver.to("/hook")).as("nothing told twice after a restart; the next rejected commit is news")
        .singleElement().satisfies(r -> assertThat(r.json().get("sha").asString()).isEqualTo(Reports.NEXT.sha()));
  }

  @Test
  void aDestinationThatHangsOrFailsNeitherBlocksThePassNorShowsItsUrl() throws Exception {
    receiver.hang("/services/T000/B000/XXXX");
    receiver.answer("/webhookb2/teams", 500);
    try (LogLines log = LogLines.of(Notifier.class);
         Notifier notifier = notifier(everywhere(Duration.ofSeconds(3)), Optional.of(Reports.healthy(Reports.GOOD)))) {
      long start = System.nanoTime();
      notifier.passed(Reports.rejected(Reports.BAD));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the pass does not wait for a send").isLessThan(Duration.ofSeconds(3));
      assertThat(log.lines()).as("returned while Slack still holds its request").noneMatch(l -> l.startsWith("WARN slack"));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.lines())
          .anySatisfy(l -> assertThat(l).isEqualTo("WARN slack notification commit_rejected of commit main@sha1:9b8a7c6 failed: no answer within 3 s"))
          .anySatisfy(l -> assertThat(l).isEqualTo("WARN msteams notification commit_rejected of commit main@sha1:9b8a7c6 failed: HTTP 500"))
          .anySatisfy(l -> assertThat(l).startsWith("INFO webhook notification commit_rejected of commit main@sha1:9b8a7c6 sent (HTTP 200)")));
      assertThat(log.lines()).noneMatch(l -> l.contains("127.0.0.1") || l.contains("XXXX") || l.contains("/hook"));
    }
  }

  @Test
  void withNothingConfiguredNothingIsSentNorRead() {
    try (Notifier notifier = new Notifier(Notifications.NONE, () -> {
      throw new AssertionError("the status branch is not read when nothing is sent");
    }, CLOCK)) {
      notifier.passed(Reports.rejected(Reports.BAD));
    }

    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void aUrlOrTokenNeverShowsInTheSettingsText() {
    Notifications.Destination slack = new Notifications.Destination(Notifications.Format.SLACK,
        URI.create("https://hooks.slack.com/services/T000/B000/SECRET"));
    Notifications.Forge forge = new Notifications.Forge(Notifications.ForgeKind.GITHUB, URI.create("https://api.github.com"),
        "platform/backup-policies", "ghp_SECRET");

    assertThat(slack.toString() + forge + new Notifications(List.of(slack), Optional.of(forge), Optional.empty(),
        Duration.ofSeconds(1))).doesNotContain("SECRET").contains("slack (URL not shown)", "github platform/backup-policies (token not shown)");
  }

  private Notifications webhookOnly() {
    return new Notifications(List.of(new Notifications.Destination(Notifications.Format.WEBHOOK, receiver.url("/hook"))),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  }
}
