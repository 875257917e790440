package dev.fleetbackup.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the daemon tells of rejected commits, failed runs and recoveries, and which forge gets a
 * commit status for each applied or rejected commit. URLs and tokens are secrets: they are read
 * from files or the environment, and no {@code toString}, log line or error message shows them.
 *
 * @param statusPage the link every message and commit status carries (the status page), if any
 * @param timeout the longest one send may take, connection included
 */
public record Notifications(List<Destination> destinations, Optional<Forge> forge, Optional<URI> statusPage, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** None: nothing is sent. */
  public static final Notifications NONE = new Notifications(List.of(), Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);

  public Notifications {
    destinations = List.copyOf(destinations);
    Objects.requireNonNull(forge, "forge");
    Objects.requireNonNull(statusPage, "statusPage");
    statusPage.ifPresent(url -> requireWebUrl(url, "the status page URL"));
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a send's timeout must be positive");
    }
  }

  public boolean any() {
    return !destinations.isEmpty() || forge.isPresent();
  }

  /** The payload formats a destination can take. */
  public enum Format {
    /** A JSON object of fleet-backup's own (type, subject, summary, details, sha, statusPage). */
    WEBHOOK,
    /** A Slack incoming webhook's message (mrkdwn blocks). */
    SLACK,
    /** A Microsoft Teams incoming webhook or Workflows message: an Adaptive Card. */
    MSTEAMS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One chat or webhook to post to; its URL holds its secret. */
  public record Destination(Format format, URI url) {
    public Destination {
      Objects.requireNonNull(format, "format");
      requireWebUrl(url, "a " + format.label() + " URL");
    }

    @Override
    public String toString() {
      return format.label() + " (URL not shown)";
    }
  }

  /** The forges whose commit status API fleet-backup speaks. */
  public enum ForgeKind {
    GITHUB, GITLAB, GITEA;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The config repo's forge: {@code api} is its API root ({@code https://api.github.com},
   * {@code https://gitlab.example.com/api/v4}, {@code https://gitea.example.com/api/v1}),
   * {@code repository} {@code owner/name} (GitLab: the project's path or numeric id).
   */
  public record Forge(ForgeKind kind, URI api, String repository, String token) {
    private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,99}");

    public Forge {
      Objects.requireNonNull(kind, "kind");
      requireWebUrl(api, "the forge's API URL");
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(token, "token");
      String[] parts = repository.split("/", -1);
      boolean owned = kind == ForgeKind.GITLAB ? parts.length >= 1 : parts.length == 2;
      for (String part : parts) {
        owned &= PATH_PART.matcher(part).matches() && !part.equals(".") && !part.equals("..");
      }
      if (!owned || repository.length() > 255) {
        throw new IllegalArgumentException(kind == ForgeKind.GITLAB
            ? "the repository is a GitLab project's path (group/project) or id"
            : "the repository is owner/name, letters, digits, '.', '_' and '-'");
      }
      if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("the token is empty or holds other than printable ASCII");
      }
    }

    /** The API root each forge's public service has; Gitea has none. */
    public static Optional<URI> defaultApi(ForgeKind kind) {
      return switch (kind) {
        case GITHUB -> Optional.of(URI.create("https://api.github.com"));
        case GITLAB -> Optional.of(URI.create("https://gitlab.com/api/v4"));
        case GITEA -> Optional.empty();
      };
    }

    @Override
    public String toString() {
      return kind.label() + " " + repository + " (token not shown)";
    }
  }

  private static void requireWebUrl(URI url, String what) {
    Objects.requireNonNull(url, what);
    String scheme = Optional.ofNullable(url.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
    if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null || !url.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be an http:// or https:// URL with a host");
    }
  }
}
