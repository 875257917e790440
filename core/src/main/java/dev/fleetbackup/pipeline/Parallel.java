package dev.fleetbackup.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One task per member on its own thread (at most 8 at a time), all awaited until one deadline; a member that fails does not stop the others. */
final class Parallel {
  private Parallel() {}

  /** What stands in for a task that did not return. */
  interface Fallback<T> {
    T timedOut(String cluster);

    T failed(String cluster, Throwable cause);

    T interrupted(String cluster);
  }

  /** Results in the order of {@code tasks}. */
  static <T> Map<String, T> run(Map<String, Callable<T>> tasks, Duration deadline, Clock clock, Fallback<T> fallback) {
    Map<String, T> results = new LinkedHashMap<>();
    if (tasks.isEmpty()) {
      return results;
    }
    Map<String, Future<T>> futures = new LinkedHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(tasks.size(), 8)));
    try {
      tasks.forEach((cluster, task) -> futures.put(cluster, executor.submit(task)));
      Instant end = clock.instant().plus(deadline);
      for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
        results.put(e.getKey(), await(e.getKey(), e.getValue(), end, clock, fallback));
      }
      return results;
    } finally {
      executor.shutdownNow();
    }
  }

  private static <T> T await(String cluster, Future<T> future, Instant end, Clock clock, Fallback<T> fallback) {
    try {
      long millis = Math.max(0, Duration.between(clock.instant(), end).toMillis());
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return fallback.timedOut(cluster);
    } catch (ExecutionException e) {
      return fallback.failed(cluster, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return fallback.interrupted(cluster);
    }
  }
}
