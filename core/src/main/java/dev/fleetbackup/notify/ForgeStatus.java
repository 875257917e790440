package dev.fleetbackup.notify;

import dev.fleetbackup.model.SafeText;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A commit status as each forge's API takes it: GitHub's and Gitea's
 * {@code POST /repos/{owner}/{repo}/statuses/{sha}}, GitLab's {@code POST /projects/:id/statuses/:sha}.
 * The context (GitLab: name) is {@code fleet-backup}, so each new state replaces the last one.
 */
final class ForgeStatus {
  static final String CONTEXT = "fleet-backup";
  /** GitHub's limit for a description; the others take more, and a commit list shows less. */
  static final int DESCRIPTION_LIMIT = 140;
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ForgeStatus() {}

  static HttpRequest request(Notifications.Forge forge, CommitState status, Optional<URI> statusPage, Duration timeout) {
    if (!SHA.matcher(status.sha()).matches()) {
      throw new IllegalArgumentException("not a commit id: " + SafeText.quote(status.sha()));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("state", state(forge.kind(), status.state()));
    body.put(forge.kind() == Notifications.ForgeKind.GITLAB ? "name" : "context", CONTEXT);
    body.put("description", SafeText.truncate(SafeText.oneLine(status.description()), DESCRIPTION_LIMIT));
    statusPage.ifPresent(url -> body.put("target_url", url.toString()));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(forge, status.sha()))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "fleet-backup")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
    switch (forge.kind()) {
      case GITHUB -> request.header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", "2022-11-28")
          .header("Authorization", "Bearer " + forge.token());
      case GITLAB -> request.header("PRIVATE-TOKEN", forge.token());
      case GITEA -> request.header("Accept", "application/json").header("Authorization", "token " + forge.token());
    }
    return request.build();
  }

  static URI endpoint(Notifications.Forge forge, String sha) {
    String root = forge.api().toString().replaceAll("/+$", "");
    String path = forge.kind() == Notifications.ForgeKind.GITLAB
        // the project's path is one segment, its slashes encoded, as GitLab's API wants it
        ? "/projects/" + URLEncoder.encode(forge.repository(), StandardCharsets.UTF_8) + "/statuses/" + sha
        : "/repos/" + forge.repository() + "/statuses/" + sha;
    return URI.create(root + path);
  }

  /** GitLab says {@code failed} where GitHub and Gitea say {@code failure}. */
  static String state(Notifications.ForgeKind kind, CommitState.State state) {
    return switch (state) {
      case SUCCESS -> "success";
      case PENDING -> "pending";
      case FAILURE -> kind == Notifications.ForgeKind.GITLAB ? "failed" : "failure";
    };
  }
}
