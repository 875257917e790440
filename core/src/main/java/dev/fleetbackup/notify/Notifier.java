package dev.fleetbackup.notify;

import dev.fleetbackup.report.StatusReport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the destinations and the forge what changed in each pass: {@link #passed} compares the
 * pass's report with the one before it (at first, the one the status branch holds, so a restart
 * or a new leader repeats nothing), and sends one message per transition and one commit status per
 * commit whose state changed. Sends run one at a time on a thread of their own, in order, each
 * bounded by the timeout; the pass never waits for them. A failed send is logged (never with its
 * URL or token) and not retried: the next transition is sent as usual.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Notifier.class);
  /** Sends waiting at most; a forge or chat that hangs costs a few, then new ones are dropped and logged. */
  static final int QUEUE = 64;

  /** The report the status branch holds, read once before the first comparison. */
  @FunctionalInterface
  public interface Baseline {
    Optional<StatusReport> read() throws Exception;
  }

  private final Notifications settings;
  private final Baseline baseline;
  private final Clock clock;
  private final HttpClient http;
  private final ThreadPoolExecutor sender;
  private Optional<StatusReport> previous; // guarded by this; null until the first pass

  public Notifier(Notifications settings, Baseline baseline, Clock clock) {
    this.settings = settings;
    this.baseline = baseline;
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect would carry the token elsewhere
        .build();
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "notify");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Takes a pass's report (the leader's, before it is published) and queues what changed; returns
   * at once, and never throws: a notification never stops a pass.
   */
  public synchronized void passed(StatusReport report) {
    if (!settings.any()) {
      return;
    }
    Optional<StatusReport> before = previous != null ? previous : readBaseline(report);
    previous = Optional.of(report);
    try {
      queueChanges(before, report);
    } catch (RuntimeException e) {
      logger.warn("notifications of this pass not sent: {}", e.getClass().getSimpleName());
    }
  }

  private void queueChanges(Optional<StatusReport> before, StatusReport report) {
    for (Event event : Transitions.between(before, report)) {
      for (Notifications.Destination destination : settings.destinations()) {
        String body = Payloads.body(destination.format(), event, settings.statusPage(), clock.instant());
        queue(destination.format().label() + " notification " + event.type().label() + " of " + Payloads.line(event.subject()),
            HttpRequest.newBuilder(destination.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "fleet-backup")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
      }
    }
    settings.forge().ifPresent(forge -> {
      for (CommitState status : CommitState.changed(before, report)) {
        queue(forge.kind().label() + " commit status " + ForgeStatus.state(forge.kind(), status.state()) + " of "
            + status.sha().substring(0, 7), ForgeStatus.request(forge, status, settings.statusPage(), settings.timeout()));
      }
    });
  }

  /** Before the first pass: what the status branch says; if it cannot be read, this pass is the baseline (nothing is sent twice). */
  private Optional<StatusReport> readBaseline(StatusReport report) {
    try {
      return baseline.read();
    } catch (Exception e) {
      logger.warn("notifications: the last status cannot be read ({}); changes are told from the next pass on",
          e.getClass().getSimpleName());
      return Optional.of(report);
    }
  }

  private void queue(String what, HttpRequest request) {
    try {
      sender.execute(() -> send(what, request));
    } catch (RejectedExecutionException e) {
      logger.warn("{} dropped: {} sends are waiting already (or notifications are closed)", what, QUEUE);
    }
  }

  /** One send, bounded as a whole (an answer that drips in is cut off too); the request's URL is never logged. */
  private void send(String what, HttpRequest request) {
    Duration timeout = settings.timeout();
    CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      int code = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
      if (code >= 200 && code < 300) {
        logger.info("{} sent (HTTP {})", what, code);
      } else {
        logger.warn("{} failed: HTTP {}", what, code);
      }
    } catch (TimeoutException e) {
      answer.cancel(true);
      logger.warn("{} failed: no answer within {} s", what, timeout.toSeconds());
    } catch (ExecutionException e) {
      logger.warn("{} failed: {}", what, e.getCause() == null ? "error" : e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking sends, and waits up to one timeout for those queued. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        List<Runnable> dropped = sender.shutdownNow();
        if (!dropped.isEmpty()) {
          logger.warn("notifications: {} sends dropped at shutdown", dropped.size());
        }
      }
    } catch (InterruptedException e) {
      sender.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
