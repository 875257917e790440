package dev.fleetbackup.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits one interval between passes, or less when the trigger file is touched ({@code touch FILE}
 * starts a pass now, as Flux's {@code reconcile.fluxcd.io/requestedAt} annotation does).
 */
public final class IntervalTrigger implements GitOpsLoop.Trigger {
  private static final long POLL_MILLIS = 250;

  private final Duration interval;
  private final Optional<Path> triggerFile;
  private Optional<FileTime> lastSeen;

  public IntervalTrigger(Duration interval, Optional<Path> triggerFile) {
    this.interval = interval;
    this.triggerFile = triggerFile;
    this.lastSeen = touched(triggerFile);
  }

  @Override
  public void awaitNext() throws InterruptedException {
    long deadline = System.nanoTime() + interval.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<FileTime> now = touched(triggerFile);
      if (now.isPresent() && !now.equals(lastSeen)) {
        lastSeen = now;
        return;
      }
      Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  /** When {@code file} was last touched; empty when there is none, or it cannot be read (a pass then waits its interval). */
  public static Optional<FileTime> touched(Optional<Path> file) {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.getLastModifiedTime(file.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
