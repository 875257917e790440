package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.Set;

/**
 * A child process of the test kit: stdout and stderr appended to one log file, recorded in the
 * {@link ProcessRegistry} while it lives, stopped together with its own children (Velero spawns
 * plugin processes).
 */
final class ManagedProcess {
  private static final Logger logger = LoggerFactory.getLogger(ManagedProcess.class);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final ProcessRegistry registry;

  private ManagedProcess(String name, Process process, Path logFile, ProcessRegistry registry) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.registry = registry;
  }

  static ManagedProcess start(
      String name,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Path logFile,
      ProcessRegistry registry) {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "=== " + Instant.now() + " start " + name + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
      // A clean environment: nothing of the developer's (AWS_*, KUBECONFIG, HOME config) leaks in.
      Map<String, String> e = pb.environment();
      e.keySet().retainAll(Set.of("PATH", "LANG", "LC_ALL", "TZ", "JAVA_HOME"));
      e.putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      registry.register(name, p.toHandle());
      p.onExit().thenRun(() -> registry.unregister(p.toHandle()));
      logger.debug("started {} (pid {}), log {}", name, p.pid(), logFile);
      return new ManagedProcess(name, p, logFile, registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return logFile;
  }

  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM to the process and its children, SIGKILL whatever is left after {@code grace}. */
  void stop(Duration grace) {
    List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
    if (process.isAlive()) {
      process.destroy();
    }
    children.forEach(ProcessHandle::destroy);
    if (!waitFor(grace)) {
      logger.debug("{} (pid {}) ignored SIGTERM for {}, killing", name, pid(), grace);
    }
    kill(children);
  }

  /** SIGKILL, as a crashing machine would. */
  void kill() {
    kill(new ArrayList<>(process.descendants().toList()));
  }

  private void kill(List<ProcessHandle> children) {
    children.addAll(process.descendants().toList());
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    waitFor(Duration.ofSeconds(10));
    for (ProcessHandle c : children) {
      try {
        c.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        logger.warn("child {} of {} did not exit", c.pid(), name);
      }
    }
    registry.unregister(process.toHandle());
  }

  /** The last {@code maxBytes} of the log, for error messages. */
  String logTail(int maxBytes) {
    return tail(logFile, maxBytes);
  }

  static String tail(Path file, int maxBytes) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - maxBytes);
      f.seek(from);
      byte[] buf = new byte[(int) (len - from)];
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}
