package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file per process the test kit started, under {@code <cache>/testkit/run/}, naming the JVM
 * that owns it. If a JVM dies without running its shutdown hook (SIGKILL, OOM), the next fleet
 * that starts finds the orphans (owner gone, process still alive with the recorded start time)
 * and kills them, so no etcd, kube-apiserver or velero outlives its run for long.
 */
final class ProcessRegistry {
  private static final Logger logger = LoggerFactory.getLogger(ProcessRegistry.class);

  private final Path dir;

  ProcessRegistry(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(String name, ProcessHandle process) {
    String content =
        "owner="
            + ProcessHandle.current().pid()
            + "\nownerStart="
            + startOf(ProcessHandle.current()).map(Instant::toString).orElse("")
            + "\nstart="
            + startOf(process).map(Instant::toString).orElse("")
            + "\nname="
            + name
            + "\n";
    try {
      Files.writeString(dir.resolve(Long.toString(process.pid())), content);
    } catch (IOException e) {
      logger.warn("cannot record process {} ({}) in {}: {}", name, process.pid(), dir, e.toString());
    }
  }

  void unregister(ProcessHandle process) {
    try {
      Files.deleteIfExists(dir.resolve(Long.toString(process.pid())));
    } catch (IOException e) {
      logger.debug("cannot remove process record {}", process.pid(), e);
    }
  }

  /** Kills processes whose owning JVM is gone. Returns how many it killed. */
  int sweepOrphans() {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.toList();
    } catch (IOException e) {
      return 0;
    }
    List<ProcessHandle> doomed = new ArrayList<>();
    for (Path f : files) {
      Map<String, String> rec;
      long pid;
      try {
        pid = Long.parseLong(f.getFileName().toString());
        rec = TestkitBinaries.readEnvFile(f);
      } catch (RuntimeException e) {
        continue;
      }
      if (alive(rec.get("owner"), rec.get("ownerStart"))) {
        continue; // another live JVM's fleet
      }
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isPresent() && p.get().isAlive() && sameStart(p.get(), rec.get("start"))) {
        logger.warn("killing leftover test-kit process {} (pid {}) of a dead JVM", rec.get("name"), pid);
        doomed.addAll(p.get().descendants().toList());
        doomed.add(p.get());
      }
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        logger.debug("cannot remove {}", f, e);
      }
    }
    doomed.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : doomed) {
      try {
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        logger.debug("leftover {} did not exit in time", h.pid());
      }
    }
    int killed = (int) doomed.stream().filter(h -> files.stream()
        .anyMatch(f -> f.getFileName().toString().equals(Long.toString(h.pid())))).count();
    return killed;
  }

  private static boolean alive(String pid, String start) {
    if (pid == null) {
      return false;
    }
    try {
      Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
      return h.isPresent() && h.get().isAlive() && sameStart(h.get(), start);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean sameStart(ProcessHandle h, String recorded) {
    if (recorded == null || recorded.isEmpty()) {
      return true;
    }
    Optional<Instant> actual = startOf(h);
    return actual.isEmpty()
        || Duration.between(actual.get(), Instant.parse(recorded)).abs().toMillis() < 2000;
  }

  private static Optional<Instant> startOf(ProcessHandle h) {
    return h.info().startInstant();
  }
}
