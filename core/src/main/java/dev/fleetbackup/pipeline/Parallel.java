package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.MemberBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task per member on its own thread (at most {@link Concurrency#members()} at a time, the
 * others queued); a member that fails does not stop the others. Each task runs on its member's
 * {@link MemberBudget}: the time it runs is charged to it, not the time it waits in the queue, and
 * a task still running when the budget is spent is interrupted and stands for a time-out, whatever
 * it does next.
 */
final class Parallel {
  private Parallel() {}

  /** The work for one member, and the budget it runs on. */
  record Task<T>(Callable<T> work, MemberBudget budget) {}

  /** What stands in for a task that did not return. */
  interface Fallback<T> {
    T timedOut(String cluster, MemberBudget budget);

    T failed(String cluster, Throwable cause);

    T interrupted(String cluster);
  }

  /** Results in the order of {@code tasks}. */
  static <T> Map<String, T> run(Map<String, Task<T>> tasks, Concurrency concurrency, Fallback<T> fallback) {
    Map<String, T> results = new LinkedHashMap<>();
    if (tasks.isEmpty()) {
      return results;
    }
    Map<String, CompletableFuture<T>> futures = new LinkedHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(Math.min(tasks.size(), concurrency.members()));
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    try {
      tasks.forEach((cluster, task) -> {
        CompletableFuture<T> result = new CompletableFuture<>();
        futures.put(cluster, result);
        executor.execute(() -> run(cluster, task, result, watchdog, fallback));
      });
      for (Map.Entry<String, CompletableFuture<T>> e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          results.put(e.getKey(), fallback.interrupted(e.getKey()));
        } catch (ExecutionException impossible) {
          results.put(e.getKey(), fallback.failed(e.getKey(), impossible.getCause()));
        }
      }
      return results;
    } finally {
      executor.shutdownNow();
      watchdog.shutdownNow();
    }
  }

  private static <T> void run(String cluster, Task<T> task, CompletableFuture<T> result, ScheduledExecutorService watchdog,
      Fallback<T> fallback) {
    Thread worker = Thread.currentThread();
    Object running = new Object();
    boolean[] done = {false};
    task.budget().start();
    ScheduledFuture<?> cutOff = watchdog.schedule(() -> {
      synchronized (running) {
        if (!done[0] && result.complete(fallback.timedOut(cluster, task.budget()))) {
          worker.interrupt();
        }
      }
    }, task.budget().remaining().toNanos(), TimeUnit.NANOSECONDS);
    try {
      result.complete(task.work().call());
    } catch (InterruptedException e) {
      result.complete(fallback.interrupted(cluster));
    } catch (Throwable e) {
      result.complete(fallback.failed(cluster, e));
    } finally {
      synchronized (running) {
        done[0] = true;
      }
      cutOff.cancel(false);
      task.budget().stop();
      Thread.interrupted(); // a cut-off's interrupt is not the next task's
    }
  }
}
