package dev.fleetbackup.notify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that changed between two passes and that a person should hear of once: a commit was
 * rejected, a run failed, or one of those is over. Its strings are raw (from the config repo and
 * the clusters); each payload escapes them for its own format.
 *
 * @param subject what it is about: {@code commit main@sha1:4f2c9e1}, {@code Backup default/nightly}
 * @param summary one sentence: {@code commit main@sha1:4f2c9e1 was rejected: 2 errors}
 * @param details the errors or problems behind it, at most {@link #MAX_DETAILS}
 * @param sha the commit it is about, when it is about one
 */
public record Event(Type type, String subject, String summary, List<String> details, Optional<String> sha) {
  /** Details an event carries; a chat message is no place for a hundred errors. */
  public static final int MAX_DETAILS = 5;

  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(summary, "summary");
    details = List.copyOf(details.size() > MAX_DETAILS ? details.subList(0, MAX_DETAILS) : details);
    Objects.requireNonNull(sha, "sha");
  }

  public enum Type {
    COMMIT_REJECTED("commit_rejected"),
    RUN_FAILED("run_failed"),
    RECOVERED("recovered");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** The name in payloads: {@code commit_rejected}, {@code run_failed}, {@code recovered}. */
    public String label() {
      return label;
    }
  }
}
