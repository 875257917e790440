package dev.fleetbackup.sandbox;

import dev.fleetbackup.cli.Main;
import dev.fleetbackup.pipeline.Components;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The sandbox jar: fleet-backup's own command line, with {@code sandbox} added, so that
 * {@code java -jar fleet-backup-sandbox.jar sandbox} runs the product on test-kit clusters and the
 * status commands it prints work from the same jar.
 */
public final class SandboxMain {
  private SandboxMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    Components components = Main.components();
    CommandLine commandLine = Main.commandLine(out, err, components, new SandboxCommand(components.validator(), components.passes()));
    System.exit(commandLine.execute(args));
  }
}
