package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import java.util.List;

/**
 * The policy files of a config repo at one revision, in path order, and the files that were refused
 * while reading (a symlink leaving the repo, an oversized file, the first file past a commit's budget).
 * {@code folder} names the folder that was read the way its user knows it, for messages: the folder
 * as given on the command line, or a commit's folder ({@code main@sha1:1a2b3c4:policies}).
 */
public record PolicySnapshot(String revision, String folder, List<PolicyFile> files, List<Diagnostic> refused) {
  public PolicySnapshot {
    files = List.copyOf(files);
    refused = List.copyOf(refused);
  }
}
