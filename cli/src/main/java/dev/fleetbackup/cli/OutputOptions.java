package dev.fleetbackup.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json}. */
final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.text;
}
