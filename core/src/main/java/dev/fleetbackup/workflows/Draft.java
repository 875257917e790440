package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Condition;
import java.time.Instant;
import java.util.Optional;

/**
 * A condition before it gets its {@code lastTransitionTime}: {@code since} is the moment the
 * clusters' objects show it became true (a run's start or end), when they show one.
 */
record Draft(String type, Condition.Status status, String reason, String message, Optional<Instant> since) {

  static Draft ready(Condition.Status status, String reason, String message, Optional<Instant> since) {
    return new Draft(Condition.READY, status, reason, message, since);
  }

  static Draft reconciling(String reason, String message, Optional<Instant> since) {
    return new Draft(Condition.RECONCILING, Condition.Status.True, reason, message, since);
  }

  static Draft stalled(String reason, String message, Optional<Instant> since) {
    return new Draft(Condition.STALLED, Condition.Status.True, reason, message, since);
  }
}
