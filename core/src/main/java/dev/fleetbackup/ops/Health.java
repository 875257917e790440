package dev.fleetbackup.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code /healthz} and {@code /readyz} answer. The instance is told where it stands
 * ({@link #standingBy}, {@link #leading}, {@link #passFinished}, {@link #leadershipLost}) and
 * answers from that; thread-safe.
 *
 * <ul>
 *   <li>Ready: while standing by (another instance leads), and while leading once the first pass
 *       has finished. Not ready before either, nor after leadership was lost.
 *   <li>Live: unless leadership was lost (the process must restart to stand by again, as Kubernetes
 *       controllers do) or, when {@code stalledAfter} is set, the leader has not finished a pass
 *       for that long (a pass that hangs holds the lease and does nothing).
 * </ul>
 */
public final class Health {
  /** One answer: 200 with {@code detail} when {@code ok}, else 503. */
  public record Check(boolean ok, String detail) {
    public Check {
      Objects.requireNonNull(detail, "detail");
    }
  }

  private enum Role { STARTING, STANDING_BY, LEADING, LOST }

  private final Clock clock;
  private final Optional<Duration> stalledAfter;

  private Role role = Role.STARTING;
  private String leader = "";
  private Instant leadingSince = Instant.EPOCH;
  private Optional<Instant> lastPass = Optional.empty();
  private String lostBecause = "";

  /**
   * @param stalledAfter how long a leader may go without finishing a pass before it counts as not
   *     live; empty to never say so. Several intervals plus the longest pass, if set.
   */
  public Health(Clock clock, Optional<Duration> stalledAfter) {
    this.clock = clock;
    this.stalledAfter = stalledAfter;
  }

  /** Another instance holds the lease (its identity, when known). */
  public synchronized void standingBy(String currentLeader) {
    if (role != Role.LOST) {
      role = Role.STANDING_BY;
      leader = currentLeader == null ? "" : currentLeader;
    }
  }

  /** This instance holds the lease (or runs alone, without leader election). */
  public synchronized void leading() {
    if (role != Role.LOST) {
      role = Role.LEADING;
      leadingSince = clock.instant();
      lastPass = Optional.empty();
    }
  }

  /** A pass over the fleet finished, whatever its result. */
  public synchronized void passFinished() {
    lastPass = Optional.of(clock.instant());
  }

  /** This instance led and no longer does; it must not apply anything again. */
  public synchronized void leadershipLost(String why) {
    role = Role.LOST;
    lostBecause = why;
  }

  /** Whether this instance applies: it leads, or runs alone. */
  public synchronized boolean isLeading() {
    return role == Role.LEADING;
  }

  public synchronized Check ready() {
    return switch (role) {
      case STARTING -> new Check(false, "starting: leader election has not answered yet");
      case STANDING_BY -> new Check(true, "standing by" + (leader.isEmpty() ? "" : ", leader is " + leader));
      case LEADING -> lastPass.isPresent()
          ? new Check(true, "leading, last pass finished at " + lastPass.get())
          : new Check(false, "leading, first pass not finished yet");
      case LOST -> new Check(false, "leadership lost: " + lostBecause);
    };
  }

  public synchronized Check live() {
    if (role == Role.LOST) {
      return new Check(false, "leadership lost: " + lostBecause + "; restart to stand by again");
    }
    if (role == Role.LEADING && stalledAfter.isPresent()) {
      Instant since = lastPass.orElse(leadingSince);
      Duration quiet = Duration.between(since, clock.instant());
      if (quiet.compareTo(stalledAfter.get()) > 0) {
        return new Check(false, "no pass finished for " + quiet.toSeconds() + "s (limit " + stalledAfter.get().toSeconds() + "s)");
      }
    }
    return new Check(true, "ok");
  }
}
