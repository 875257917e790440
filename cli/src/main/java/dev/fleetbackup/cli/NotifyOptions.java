package dev.fleetbackup.cli;

import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.notify.Notifications;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code run}'s notifications and commit status. Every URL and token is a secret: read from a file
 * or the environment, never from a flag's value (which {@code ps} shows), and never repeated in an
 * error message.
 */
final class NotifyOptions {
  static final String WEBHOOK_ENV = "FLEET_BACKUP_NOTIFY_WEBHOOK_URL";
  static final String SLACK_ENV = "FLEET_BACKUP_NOTIFY_SLACK_URL";
  static final String MSTEAMS_ENV = "FLEET_BACKUP_NOTIFY_MSTEAMS_URL";
  static final String TOKEN_ENV = "FLEET_BACKUP_COMMIT_STATUS_TOKEN";

  @Option(names = "--notify-webhook-url-file", paramLabel = "FILE",
      description = "POST a JSON object for each rejected commit, failed run and recovery to the URL in FILE (default: $"
          + WEBHOOK_ENV + ").")
  Path webhookUrlFile;

  @Option(names = "--notify-slack-url-file", paramLabel = "FILE",
      description = "The same as a Slack message, to the incoming webhook URL in FILE (default: $" + SLACK_ENV + ").")
  Path slackUrlFile;

  @Option(names = "--notify-msteams-url-file", paramLabel = "FILE",
      description = "The same as a Microsoft Teams Adaptive Card, to the incoming webhook or Workflows URL in FILE (default: $"
          + MSTEAMS_ENV + ").")
  Path teamsUrlFile;

  @Option(names = "--notify-timeout", paramLabel = "DURATION",
      description = "The longest one notification or commit status may take to send (default: 10s).")
  Duration timeout = Notifications.DEFAULT_TIMEOUT;

  @Option(names = "--commit-status", paramLabel = "FORGE",
      description = "Set a commit status on the config repo's forge for each applied or rejected commit: github, gitlab or gitea.")
  String forge;

  @Option(names = "--commit-status-api", paramLabel = "URL",
      description = "The forge's API root (default: https://api.github.com, https://gitlab.com/api/v4; Gitea: required, "
          + "e.g. https://gitea.example.com/api/v1).")
  URI forgeApi;

  @Option(names = "--commit-status-repo", paramLabel = "OWNER/NAME",
      description = "The config repo on the forge (GitLab: the project's path or id).")
  String forgeRepo;

  @Option(names = "--commit-status-token-file", paramLabel = "FILE",
      description = "A token that may set commit statuses, in FILE (default: $" + TOKEN_ENV + ").")
  Path tokenFile;

  @Option(names = "--status-url", paramLabel = "URL",
      description = "The status page's URL: the link of every notification and commit status.")
  URI statusUrl;

  /** The options as the controller's settings; {@code environment} holds the defaults of the secret files. */
  Notifications value(CommandLine commandLine, Map<String, String> environment) {
    List<Notifications.Destination> destinations = new ArrayList<>();
    destination(commandLine, Notifications.Format.WEBHOOK, "--notify-webhook-url-file", webhookUrlFile, WEBHOOK_ENV, environment)
        .ifPresent(destinations::add);
    destination(commandLine, Notifications.Format.SLACK, "--notify-slack-url-file", slackUrlFile, SLACK_ENV, environment)
        .ifPresent(destinations::add);
    destination(commandLine, Notifications.Format.MSTEAMS, "--notify-msteams-url-file", teamsUrlFile, MSTEAMS_ENV, environment)
        .ifPresent(destinations::add);
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ParameterException(commandLine, "--notify-timeout " + FlagDuration.format(timeout) + ": between 1s and 1m");
    }
    try {
      return new Notifications(destinations, forge(commandLine, environment), Optional.ofNullable(statusUrl), timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--status-url: " + e.getMessage());
    }
  }

  private static Optional<Notifications.Destination> destination(CommandLine commandLine, Notifications.Format format,
      String flag, Path file, String env, Map<String, String> environment) {
    String from = file != null ? flag + " " + file : "$" + env;
    Optional<String> text = file != null ? Optional.of(secret(commandLine, from, file))
        : Optional.ofNullable(environment.get(env)).map(String::strip).filter(t -> !t.isEmpty());
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Notifications.Destination(format, new URI(text.get())));
    } catch (URISyntaxException | IllegalArgumentException e) {
      // the URL is the secret: the message names where it came from, never what it says
      throw new ParameterException(commandLine, from + ": not an http:// or https:// URL with a host");
    }
  }

  private Optional<Notifications.Forge> forge(CommandLine commandLine, Map<String, String> environment) {
    if (forge == null) {
      if (forgeApi != null || forgeRepo != null || tokenFile != null) {
        throw new ParameterException(commandLine, "--commit-status-api, -repo and -token-file need --commit-status (github, gitlab or gitea)");
      }
      return Optional.empty();
    }
    Notifications.ForgeKind kind;
    try {
      kind = Notifications.ForgeKind.valueOf(forge.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--commit-status: expected github, gitlab or gitea");
    }
    URI api = Optional.ofNullable(forgeApi).or(() -> Notifications.Forge.defaultApi(kind)).orElseThrow(
        () -> new ParameterException(commandLine, "--commit-status gitea needs --commit-status-api (e.g. https://gitea.example.com/api/v1)"));
    if (forgeRepo == null) {
      throw new ParameterException(commandLine, "--commit-status needs --commit-status-repo OWNER/NAME");
    }
    String from = tokenFile != null ? "--commit-status-token-file " + tokenFile : "$" + TOKEN_ENV;
    String token = tokenFile != null ? secret(commandLine, from, tokenFile)
        : Optional.ofNullable(environment.get(TOKEN_ENV)).map(String::strip).filter(t -> !t.isEmpty()).orElseThrow(
            () -> new ParameterException(commandLine, "--commit-status needs a token: --commit-status-token-file or $" + TOKEN_ENV));
    try {
      return Optional.of(new Notifications.Forge(kind, api, forgeRepo, token));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--commit-status: " + e.getMessage());
    }
  }

  private static String secret(CommandLine commandLine, String from, Path file) {
    return SecretFile.read(commandLine, from, file).strip();
  }
}
