package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.notify.Notifications;
import com.sun.net.httpserver.HttpServer;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.testkit.ConfigRemote;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code run}'s notifications and commit status: a rejected commit told to a webhook and the forge
 * once, across runs too; the flags, whose secrets come from files or the environment and are never
 * shown back.
 */
class RunNotificationsTest {
  private static final String SLACK = "https://hooks.slack.com/services/T000/B000/SECRETSECRET";

  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void aRejectedCommitIsToldOnceToTheWebhookAndTheForgeAcrossRuns() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().contains("/statuses/") ? 201 : 200, -1);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Path url = Files.writeString(dir.resolve("hook-url"), base + "/hook");
    Path token = Files.writeString(dir.resolve("token"), "gitea-token-0123");
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("remote"))) {
      String sha = remote.commitTree(brokenSample(), "nightly: a cron of four fields");
      for (int run = 1; run <= 2; run++) {
        Cli cli = new Cli();
        int exit = cli.run("run", "--once", "--repo", remote.url(), "--work-dir", dir.resolve("work" + run).toString(),
            "--kubeconfig-dir", dir.resolve("nowhere").toString(), "--notify-webhook-url-file", url.toString(),
            "--commit-status", "gitea", "--commit-status-api", base + "/api/v1", "--commit-status-repo", "platform/backup-policies",
            "--commit-status-token-file", token.toString(), "--status-url", "https://gitea.example.com/platform/backup-policies");
        assertThat(exit).as(cli.err.toString()).isZero();
      }

      assertThat(received).as("the second run found the rejection on the status branch: nothing told twice").hasSize(2);
      assertThat(received).anySatisfy(r -> assertThat(r).startsWith("POST /hook null {\"source\":\"fleet-backup\",\"type\":\"commit_rejected\"")
          .contains("\"sha\":\"" + sha + "\"", "backups/nightly.yaml:9:13: error: schedule \\\"0 2 * *\\\""));
      assertThat(received).anySatisfy(r -> assertThat(r).startsWith("POST /api/v1/repos/platform/backup-policies/statuses/" + sha
          + " token gitea-token-0123 {\"state\":\"failure\",\"context\":\"fleet-backup\",\"description\":\"rejected: 1 error, first"));
    } finally {
      server.stop(0);
    }
  }

  private Path brokenSample() throws IOException {
    Path sample = Path.of("sample-repo");
    Path target = dir.resolve("repo");
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path source : files.filter(Files::isRegularFile).toList()) {
        Path file = target.resolve(sample.relativize(source).toString());
        Files.createDirectories(file.getParent());
        Files.copy(source, file);
      }
    }
    Path nightly = target.resolve("backups/nightly.yaml");
    Files.writeString(nightly, Files.readString(nightly).replace("\"0 2 * * *\"", "\"0 2 * *\""));
    return target;
  }

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
