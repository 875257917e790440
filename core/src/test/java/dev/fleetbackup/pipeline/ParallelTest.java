package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.cluster.MemberBudget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The members of a pass in flight: at most {@code --concurrent} at a time, each on a budget that only its own work spends. */
class ParallelTest {
  private static final Parallel.Fallback<String> FALLBACK = new Parallel.Fallback<>() {
    @Override
    public String timedOut(String cluster, MemberBudget budget) {
      return "timed out";
    }

    @Override
    public String failed(String cluster, Throwable cause) {
      return "failed: " + cause;
    }

    @Override
    public String interrupted(String cluster) {
      return "interrupted";
    }
  };

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();

  /** Work that holds its slot until the test releases it. */
  private Parallel.Task<String> held(Duration budget) {
    return new Parallel.Task<>(() -> {
      started.incrementAndGet();
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        return release.await(30, TimeUnit.SECONDS) ? "done" : "never released";
      } finally {
        inFlight.decrementAndGet();
      }
    }, new MemberBudget(budget));
  }

  @Test
  void noMoreMembersThanConcurrentAreWorkedOnAtOnceAndEveryOneIsWorkedOn() {
    Map<String, Parallel.Task<String>> tasks = new LinkedHashMap<>();
    for (int i = 1; i <= 10; i++) {
      tasks.put("m" + i, held(Duration.ofMinutes(1)));
    }

    CompletableFuture<Map<String, String>> pass = CompletableFuture.supplyAsync(() -> Parallel.run(tasks, new Concurrency(3), FALLBACK));
    await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 3);
    assertThat(started).as("the others wait for a slot").hasValue(3);
    release.countDown();

    assertThat(pass.join()).hasSize(10).allSatisfy((cluster, result) -> assertThat(result).isEqualTo("done"));
    assertThat(most).hasValue(3);
  }

  @Test
  void aMemberQueuedBehindAnotherSpendsNoneOfItsBudgetWhileItWaits() {
    MemberBudget queued = new MemberBudget(Duration.ofMillis(300));
    Map<String, Parallel.Task<String>> tasks = new LinkedHashMap<>();
    tasks.put("slow", held(Duration.ofMinutes(1)));
    tasks.put("queued", new Parallel.Task<>(() -> "done", queued));

    long began = System.nanoTime();
    CompletableFuture<Map<String, String>> pass = CompletableFuture.supplyAsync(() -> Parallel.run(tasks, new Concurrency(1), FALLBACK));
    await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
    // the subject is time passing in the queue: longer than the queued member's whole budget
    await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - began > Duration.ofMillis(600).toNanos());
    assertThat(queued.remaining()).as("nothing spent while queued").isEqualTo(queued.total());
    release.countDown();

    assertThat(pass.join()).containsEntry("slow", "done").containsEntry("queued", "done");
  }

  @Test
  void concurrencyIsBetweenOneAndFiveHundredTwelve() {
    assertThat(new Concurrency(1).members()).isOne();
    assertThat(new Concurrency(Concurrency.MAX).members()).isEqualTo(512);
    assertThatThrownBy(() -> new Concurrency(0)).hasMessage("members in flight must be between 1 and 512, not 0");
    assertThatThrownBy(() -> new Concurrency(513)).isInstanceOf(IllegalArgumentException.class);
  }
}
