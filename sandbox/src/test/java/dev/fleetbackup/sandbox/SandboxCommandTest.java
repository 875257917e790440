package dev.fleetbackup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.cli.Main;
import dev.fleetbackup.pipeline.Components;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code sandbox --help} shows its defaults as its flags take them. */
class SandboxCommandTest {
  @Test
  void helpShowsDurationsAsTheFlagsTakeThem() {
    StringWriter out = new StringWriter();
    Components components = Main.components();
    int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()), components,
        new SandboxCommand(components.validator(), components.passes())).execute("sandbox", "--help");

    assertThat(exit).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("Time between passes (default: 5s).").contains("give up after this long (default: 10m).")
        .doesNotContainPattern("\\bPT\\d");
  }
}
