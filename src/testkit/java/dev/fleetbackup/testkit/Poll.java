package dev.fleetbackup.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. The test kit cannot use Awaitility (it
 * is compiled with the main sources, where Awaitility is not on the classpath), so it has this
 * small equivalent. Exceptions thrown by a probe count as "not yet" and the last one is attached
 * to the timeout.
 */
public final class Poll {
  private Poll() {}

  /** Thrown when the deadline passes. */
  public static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static <T> T until(
      String what, Duration timeout, Duration interval, Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (true) {
      try {
        Optional<T> value = probe.get();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException(
            "timed out after " + timeout + " waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"),
            last);
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(
        what,
        timeout,
        Duration.ofMillis(200),
        () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }
}
