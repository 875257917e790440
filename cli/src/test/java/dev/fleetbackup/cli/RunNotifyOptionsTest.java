package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.notify.Notifications;
import dev.fleetbackup.pipeline.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code run}'s notification and commit-status flags: secrets from files or the environment, never shown back. */
class RunNotifyOptionsTest {
  private static final String SLACK = "https://hooks.slack.com/services/T000/B000/SECRETSECRET";

  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void urlsAndTokenComeFromFilesOrTheEnvironment() throws IOException {
    Path slack = Files.writeString(dir.resolve("slack-url"), SLACK + "\n");
    Path token = Files.writeString(dir.resolve("token"), "glpat-SECRETSECRET\n");
    RunCommand run = parse("--notify-slack-url-file", slack.toString(), "--commit-status", "GitLab",
        "--commit-status-repo", "platform/backup-policies", "--commit-status-token-file", token.toString(),
        "--status-url", "https://gitlab.example.com/platform/backup-policies/-/blob/fleet-backup/status/README.md");
    run.environment = Map.of(NotifyOptions.WEBHOOK_ENV, "https://hooks.example.com/fleet-backup?key=SECRETSECRET");

    Notifications n = run.settings().notifications();

    assertThat(n.destinations()).extracting(Notifications.Destination::format, Notifications.Destination::url).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Notifications.Format.WEBHOOK, URI.create("https://hooks.example.com/fleet-backup?key=SECRETSECRET")),
        org.assertj.core.groups.Tuple.tuple(Notifications.Format.SLACK, URI.create(SLACK)));
    assertThat(n.forge()).hasValueSatisfying(f -> {
      assertThat(f.kind()).isEqualTo(Notifications.ForgeKind.GITLAB);
      assertThat(f.api()).isEqualTo(URI.create("https://gitlab.com/api/v4"));
      assertThat(f.token()).isEqualTo("glpat-SECRETSECRET");
    });
    assertThat(n.timeout()).isEqualTo(Notifications.DEFAULT_TIMEOUT);
    assertThat(n.toString()).doesNotContain("SECRET");
  }

  @Test
  void withoutTheFlagsNothingIsSent() throws IOException {
    RunCommand run = parse();
    run.environment = Map.of();

    assertThat(run.settings().notifications().any()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not a URL    | --notify-msteams-url-file=FILE                                          | --notify-msteams-url-file FILE: not an http:// or https:// URL with a host",
      "gitea no api | --commit-status=gitea,--commit-status-repo=o/r,--commit-status-token-file=FILE | --commit-status gitea needs --commit-status-api (e.g. https://gitea.example.com/api/v1)",
      "no token     | --commit-status=github,--commit-status-repo=o/r                         | --commit-status needs a token: --commit-status-token-file or $FLEET_BACKUP_COMMIT_STATUS_TOKEN",
      "no repo      | --commit-status=github,--commit-status-token-file=FILE                  | --commit-status needs --commit-status-repo OWNER/NAME",
      "bad repo     | --commit-status=github,--commit-status-repo=o/../r,--commit-status-token-file=FILE | --commit-status: the repository is owner/name, letters, digits, '.', '_' and '-'",
      "bad forge    | --commit-status=bitbucket,--commit-status-repo=o/r,--commit-status-token-file=FILE | --commit-status: expected github, gitlab or gitea",
      "no forge     | --commit-status-repo=o/r                                                | --commit-status-api, -repo and -token-file need --commit-status (github, gitlab or gitea)"})
  void aSettingThatCannotWorkIsAUsageErrorThatShowsNoSecret(String what, String flags, String message) throws IOException {
    Path file = Files.writeString(dir.resolve("secret"), what.equals("not a URL") ? "hooks.example.com SECRETSECRET" : "SECRETSECRET");
    List<String> args = new ArrayList<>(List.of("run", "--repo", "https://127.0.0.1:1/unreachable.git", "--secrets-dir",
        dir.toString(), "--work-dir", dir.resolve("work").toString()));
    for (String flag : flags.split(",")) {
      args.add(flag.replace("FILE", file.toString()));
    }

    int exit = cli.run(args.toArray(String[]::new));

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith(message.replace("FILE", file.toString()) + System.lineSeparator())
        .doesNotContain("SECRETSECRET");
    assertThat(dir.resolve("work")).as("no clone was started").doesNotExist();
  }

  private RunCommand parse(String... flags) {
    CommandLine commandLine = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Main.components());
    List<String> args = new ArrayList<>(List.of("run", "--repo", "https://example.com/fleet.git", "--secrets-dir", dir.toString()));
    args.addAll(List.of(flags));
    commandLine.parseArgs(args.toArray(String[]::new));
    return commandLine.getSubcommands().get("run").getCommand();
  }
}
