package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fleet-backup <command> --help} works for every command, required options or not. */
class HelpTest {
  @ParameterizedTest
  @ValueSource(strings = {"validate", "diff", "apply", "run", "status"})
  void everyCommandPrintsItsUsageOnHelpAndExitsZero(String command) {
    Cli cli = new Cli();

    int exit = cli.run(command, "--help");

    assertThat(exit).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).startsWith("Usage: fleet-backup " + command + " ").contains("-h, --help");
    assertThat(cli.err.toString()).isEmpty();
  }
}
