package dev.fleetbackup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import dev.fleetbackup.pipeline.Components;

/** Runs command lines as a user would, capturing what they print. */
final class Cli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final Optional<Components> components;

  Cli() {
    this.components = Optional.empty();
  }

  /** On these collaborators (a fixed clock, say) instead of the product's. */
  Cli(Components components) {
    this.components = Optional.of(components);
  }

  int run(String... args) {
    return Main.commandLine(new PrintWriter(out), new PrintWriter(err), components.orElseGet(Main::components)).execute(args);
  }
}
