package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The conventions a kubectl or flux user expects: help CMD, completion, --version, -o, usage errors. */
class ConventionsTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @ParameterizedTest
  @ValueSource(strings = {"validate", "build", "diff", "apply", "run", "status", "completion"})
  void helpCommandPrintsWhatDashDashHelpPrints(String command) {
    Cli dashDash = new Cli();
    assertThat(dashDash.run(command, "--help")).isZero();

    assertThat(cli.run("help", command)).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).isEqualTo(dashDash.out.toString());
  }

  @Test
  void helpAloneListsEveryCommand() {
    assertThat(cli.run("help")).isZero();

    assertThat(cli.out.toString()).startsWith("Usage: fleet-backup ")
        .contains("validate", "diff", "apply", "run", "status", "completion", "help");
  }

  @Test
  void noHelpShowsADurationAsIso8601() {
    CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Main.components());
    for (CommandLine command : root.getSubcommands().values()) {
      assertThat(command.getUsageMessage(CommandLine.Help.Ansi.OFF)).as(command.getCommandName())
          .doesNotContainPattern("\\bPT\\d");
    }
  }

  @Test
  void versionIsTheBuildsNotDev() throws IOException {
    Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("cli/pom.xml")));
    assertThat(parent.find()).isTrue();

    assertThat(cli.run("--version")).isZero();
    assertThat(cli.out.toString().strip()).isEqualTo("fleet-backup " + parent.group(1));

    Cli sub = new Cli();
    assertThat(sub.run("validate", "--version")).isZero();
    assertThat(sub.out.toString().strip()).isEqualTo("fleet-backup " + parent.group(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "JSON", "Json"})
  void outputFormatsAreCaseInsensitive(String format) {
    assertThat(cli.run("validate", "sample-repo", "-o", format)).as(cli.err.toString()).isZero();
    assertThat(Json.MAPPER.readTree(cli.out.toString()).path("valid").asBoolean()).isTrue();
  }

  @Test
  void yamlOutputIsTheSameTreeAsJson() {
    Cli json = new Cli();
    assertThat(json.run("validate", "sample-repo", "-o", "json")).isZero();

    assertThat(cli.run("validate", "sample-repo", "-o", "YAML")).as(cli.err.toString()).isZero();

    JsonNode yaml = new YAMLMapper().readTree(cli.out.toString());
    assertThat(yaml).isEqualTo(Json.MAPPER.readTree(json.out.toString()));
    assertThat(cli.out.toString()).contains("valid: true");
  }

  @Test
  void anUnknownFormatIsAUsageErrorThatNamesTheFormats() {
    assertThat(cli.run("validate", "sample-repo", "-o", "xml")).isEqualTo(2);

    assertThat(cli.err.toString()).startsWith("Invalid value for option '--output': expected one of [text, json, yaml, github, sarif]")
        .contains("Run 'fleet-backup validate --help' for usage.").doesNotContain("Usage:");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void aMistypedCommandIsAShortUsageErrorWithASuggestion() {
    assertThat(cli.run("dif")).isEqualTo(2);

    assertThat(cli.err.toString().lines().toList()).contains("Unmatched argument at index 0: 'dif'",
        "Did you mean: fleet-backup diff?", "Run 'fleet-backup --help' for usage.");
  }

  /** The bash script, sourced by a real bash, completes commands, flags, formats and shells. */
  @Test
  void bashCompletionCompletesCommandsFlagsAndValues() throws Exception {
    assertThat(cli.run("completion", "bash")).isZero();
    Path script = Files.writeString(dir.resolve("fleet-backup.bash"), cli.out.toString());

    assertThat(complete(script, "fleet-backup", "di")).isEqualTo("diff");
    assertThat(complete(script, "fleet-backup", "diff", "--show-u")).isEqualTo("--show-unchanged");
    assertThat(complete(script, "fleet-backup", "status", "-o", "")).isEqualTo("text json yaml");
    assertThat(complete(script, "fleet-backup", "validate", "-o", "")).isEqualTo("text json yaml github sarif");
    assertThat(complete(script, "fleet-backup", "completion", "")).isEqualTo("bash zsh fish");
  }

  @Test
  void zshGetsBashsScriptThroughBashcompinit() {
    Cli bash = new Cli();
    assertThat(bash.run("completion", "bash")).isZero();

    assertThat(cli.run("completion", "zsh")).isZero();
    assertThat(cli.out.toString()).isEqualTo(bash.out.toString()).contains("bashcompinit");
  }

  @Test
  void fishGetsCommandsAndFlagsOfEachCommand() {
    assertThat(cli.run("completion", "fish")).isZero();

    assertThat(cli.out.toString().lines().toList()).contains(
        "complete -c fleet-backup -n __fish_use_subcommand -a diff -d 'Show what apply would change in every member cluster,"
            + " by a server-side dry run that writes nothing.'",
        "complete -c fleet-backup -n '__fish_seen_subcommand_from diff' -l show-unchanged"
            + " -d 'List the objects that would stay as they are too (hidden by default).'",
        "complete -c fleet-backup -n '__fish_seen_subcommand_from status' -s o -l output -r -a 'text json yaml'"
            + " -d 'text, json or yaml (default: text).'");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    assertThat(cli.run("completion", "powershell")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("expected one of [bash, zsh, fish]");
  }

  /** What bash offers after {@code words}, the last being the word under the cursor. */
  private static String complete(Path script, String... words) throws Exception {
    String array = String.join(" ", List.of(words).stream().map(w -> "'" + w + "'").toList());
    String line = String.join(" ", words);
    String program = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
        + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_fleet-backup 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(bash.waitFor()).as(output).isZero();
    return output;
  }
}
