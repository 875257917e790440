package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import java.util.List;

/**
 * The policy files of a config repo at one revision, in path order, and the files that were refused
 * while reading (a symlink leaving the repo, an oversized file, the first file past a commit's budget).
 */
public record PolicySnapshot(String revision, List<PolicyFile> files, List<Diagnostic> refused) {
  public PolicySnapshot {
    files = List.copyOf(files);
    refused = List.copyOf(refused);
  }
}
