package dev.fleetbackup.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a pass may wait on a member, as the command line sets it: each request, its retries
 * included ({@code --request-timeout}, kubectl's flag), and all of a member's part of one pass, its
 * observation, diff and apply together ({@code --member-timeout}). Empty: the pipeline's own (the
 * member clients' request timeout, the pipeline's member budget).
 */
public record Timeouts(Optional<Duration> request, Optional<Duration> member) {
  /** The pipeline's own. */
  public static final Timeouts UNSET = new Timeouts(Optional.empty(), Optional.empty());

  public Timeouts {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(member, "member");
    request.ifPresent(d -> positive(d, "a request timeout"));
    member.ifPresent(d -> positive(d, "a member's time for a pass"));
  }

  public static Timeouts of(Duration request, Duration member) {
    return new Timeouts(Optional.of(request), Optional.of(member));
  }

  private static void positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be more than 0s");
    }
  }
}
