package dev.fleetbackup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs command lines as a user would, capturing what they print. */
final class Cli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }
}
