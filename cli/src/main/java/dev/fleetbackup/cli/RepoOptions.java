package dev.fleetbackup.cli;

import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.source.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --repo DIR} and {@code --path SUBDIR}: where the config repo is checked out. */
final class RepoOptions {
  @Option(names = "--repo", paramLabel = "DIR", description = "The checked-out config repo (default: the current folder).")
  Path repo = Path.of(".");

  @Option(names = "--path", paramLabel = "SUBDIR", description = "Read only this folder of the repo.")
  String path = "";

  @Mixin
  IgnoreOptions ignore = new IgnoreOptions();

  PolicySnapshot read() throws IOException {
    return new DirectoryReader(repo, ignore.value()).read("working-tree", path);
  }
}
