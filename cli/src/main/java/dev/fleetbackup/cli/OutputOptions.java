package dev.fleetbackup.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json|yaml}. */
final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.text;
}
