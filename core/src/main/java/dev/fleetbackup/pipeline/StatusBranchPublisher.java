package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.ForgeLinks;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusFormatException;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.SourceException;
import dev.fleetbackup.source.StatusBranch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishes each report to the status branch. The digest of the report rendered without its
 * timing decides whether there is anything to commit, so a pass that changed nothing leaves no
 * commit — but for a heartbeat: with an interval, a report whose last commit is
 * {@link #HEARTBEAT_INTERVALS} intervals old or more is committed all the same, so that a page is
 * rewritten well before it reads as stale ({@link StatusReport#STALE_INTERVALS} intervals), about
 * every other pass of a fleet where nothing changes. Under sharding each replica merges its part
 * into the branch's head ({@link StatusMerge}), again on the new head when another replica pushed
 * first, so that none overwrites another's members.
 */
public final class StatusBranchPublisher implements StatusPublisher {
  /** Intervals after a commit from which a report is committed even if its content did not change. */
  static final double HEARTBEAT_INTERVALS = 1.5;

  private final StatusBranch branch;
  private final String branchName;
  private final Optional<Duration> interval;
  private final StatusFiles files;
  private final Optional<Supplier<Optional<StatusPart>>> part;
  /** When the report of the last commit this publisher made was finished; empty before its first. */
  private Optional<Instant> lastCommitted = Optional.empty();

  /** The whole branch is this instance's report. */
  public StatusBranchPublisher(StatusBranch branch, String branchName) {
    this(branch, branchName, Optional.empty(), Optional.empty());
  }

  /**
   * @param interval how often the reconciler passes, written into each report; empty for a single pass
   * @param forge where README.md links the lines of a rejected commit
   */
  public StatusBranchPublisher(StatusBranch branch, String branchName, Optional<Duration> interval,
      Optional<ForgeLinks> forge) {
    this(branch, branchName, interval, forge, Optional.empty());
  }

  private StatusBranchPublisher(StatusBranch branch, String branchName, Optional<Duration> interval,
      Optional<ForgeLinks> forge, Optional<Supplier<Optional<StatusPart>>> part) {
    this.branch = branch;
    this.branchName = branchName;
    this.interval = interval;
    this.files = new StatusFiles(forge);
    this.part = part;
  }

  /** A replica's publisher under sharding: its {@code part} (none before its first pass) merged into the branch's head. */
  public static StatusBranchPublisher merging(StatusBranch branch, String branchName, Optional<Duration> interval,
      Optional<ForgeLinks> forge, Supplier<Optional<StatusPart>> part) {
    return new StatusBranchPublisher(branch, branchName, interval, forge, Optional.of(part));
  }

  @Override
  public String publish(StatusReport passed) throws SourceException {
    StatusReport report = passed.withInterval(interval);
    boolean heartbeat = interval.isPresent() && lastCommitted.map(last -> !report.finishedAt()
        .isBefore(last.plusMillis((long) (interval.get().toMillis() * HEARTBEAT_INTERVALS)))).orElse(true);
    // a heartbeat's digest is one the branch's head cannot have: the page is rewritten
    String beat = heartbeat ? " " + report.finishedAt() : "";
    StatusBranch.Outcome outcome;
    StatusReport[] published = {report};
    if (part.isEmpty()) {
      outcome = branch.write(files.render(report), message(report), digest(files.render(report.withoutTiming())) + beat);
    } else {
      Optional<StatusPart> ours = part.get().get();
      if (ours.isEmpty()) {
        return "status not pushed: this replica has taken no pass yet";
      }
      outcome = branch.write(head -> {
        published[0] = StatusMerge.merge(report, ours.get(), head.file(StatusFiles.STATUS_JSON).flatMap(this::parsed));
        return new StatusBranch.Content(files.render(published[0]), message(published[0]),
            digest(files.render(published[0].withoutTiming())) + beat);
      });
    }
    if (outcome instanceof StatusBranch.Committed committed) {
      lastCommitted = Optional.of(report.finishedAt());
      // a push that lost a race was made again on top of the other writer's commit, never over it
      String raced = committed.attempts() > 1 ? " on attempt " + committed.attempts() + ", another writer pushed first" : "";
      return "status committed to " + branchName + " (" + committed.sha().substring(0, 7) + ")" + raced + ": "
          + headline(published[0]);
    }
    return "status unchanged on " + branchName;
  }

  private Optional<StatusReport> parsed(byte[] json) {
    try {
      return Optional.of(files.parse(json));
    } catch (StatusFormatException e) {
      return Optional.empty(); // not a report this build wrote: nothing of it to keep
    }
  }

  @Override
  public Optional<StatusReport> lastPublished() throws SourceException {
    return branch.read(StatusFiles.STATUS_JSON).flatMap(this::parsed);
  }

  /** The commit message names the source revision, and the state in a few words. */
  static String message(StatusReport report) {
    String source = report.applied().map(r -> "status of " + r).orElse("status: no revision applied");
    return source + ": " + headline(report);
  }

  /** "3 clusters, 1 migration RestoreInProgress, 1 rejected commit". */
  static String headline(StatusReport report) {
    String clusters = report.clusters().size() + " cluster" + (report.clusters().size() == 1 ? "" : "s");
    long down = report.clusters().stream().filter(c -> !c.reachable()).count();
    String unreachable = down > 0 ? down + " unreachable" : "";
    String active = Stream.of(summary("backup", report.backups()), summary("restore", report.restores()),
            summary("migration", report.migrations()))
        .filter(s -> !s.isEmpty()).collect(Collectors.joining(", "));
    String rejected = report.rejected().map(r -> "commit " + r.revision().shortSha() + " rejected").orElse("");
    return Stream.of(clusters, unreachable, active, rejected).filter(s -> !s.isEmpty()).collect(Collectors.joining(", "));
  }

  /** Workflows grouped by phase, e.g. "2 backups Completed, 1 backup Failed". */
  private static String summary(String noun, List<WorkflowStatus> workflows) {
    Map<String, Long> byPhase = workflows.stream()
        .collect(Collectors.groupingBy(WorkflowStatus::phase, TreeMap::new, Collectors.counting()));
    return byPhase.entrySet().stream()
        .map(e -> e.getValue() + " " + noun + (e.getValue() == 1 ? "" : "s") + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  static String digest(Map<String, byte[]> rendered) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : new TreeMap<>(rendered).entrySet()) {
        sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(file.getValue());
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
