package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusFormatException;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.SourceException;
import dev.fleetbackup.source.StatusBranch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishes each report to the status branch. The digest of the report rendered without its
 * timing decides whether there is anything to commit, so a pass that changed nothing leaves no commit.
 */
public final class StatusBranchPublisher implements StatusPublisher {
  private final StatusBranch branch;
  private final String branchName;
  private final StatusFiles files = new StatusFiles();

  public StatusBranchPublisher(StatusBranch branch, String branchName) {
    this.branch = branch;
    this.branchName = branchName;
  }

  @Override
  public String publish(StatusReport report) throws SourceException {
    String digest = digest(files.render(report.withoutTiming()));
    StatusBranch.Outcome outcome = branch.write(files.render(report), message(report), digest);
    if (outcome instanceof StatusBranch.Committed committed) {
      // a push that lost a race was made again on top of the other writer's commit, never over it
      String raced = committed.attempts() > 1 ? " on attempt " + committed.attempts() + ", another writer pushed first" : "";
      return "status committed to " + branchName + " (" + committed.sha().substring(0, 7) + ")" + raced + ": " + headline(report);
    }
    return "status unchanged on " + branchName;
  }

  @Override
  public Optional<StatusReport> lastPublished() throws SourceException {
    Optional<byte[]> json = branch.read(StatusFiles.STATUS_JSON);
    try {
      return json.map(files::parse);
    } catch (StatusFormatException e) {
      return Optional.empty(); // not a report this build wrote: nothing to restore from it
    }
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
