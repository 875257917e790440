package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class LoggingOptionsTest {
  private static final Logger own = LoggerFactory.getLogger("dev.fleetbackup.pipeline.GitOpsLoop");
  private static final Logger library = LoggerFactory.getLogger("org.eclipse.jgit.transport.Transport");
  private static final Logger wire = LoggerFactory.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor");

  @Command(name = "probe")
  static final class Probe {
    @Mixin LoggingOptions logging;
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void restoreTheDefaultLogging() throws Exception {
    MDC.clear();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private LoggingOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    probe.logging.apply(out);
    return probe.logging;
  }

  private String logs() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<JsonNode> jsonLines() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logs().split("\n")) {
      lines.add(mapper.readTree(line));
    }
    return lines;
  }

  @Test
  void byDefaultTextAtInfoAndLibrariesOnlyFromWarn() {
    parse();

    own.info("fetched {}", "main@sha1:4f2c9e1");
    own.debug("not shown");
    library.info("not shown either");
    library.warn("connection reset");

    assertThat(logs().lines()).hasSize(2);
    assertThat(logs().lines().findFirst()).hasValueSatisfying(line ->
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d INFO  GitOpsLoop: fetched main@sha1:4f2c9e1"));
    assertThat(logs()).contains("WARN  Transport: connection reset");
  }

  @Test
  void configuredAgainTheLogsStillReachTheStreamWhichStaysOpen() {
    AtomicBoolean closed = new AtomicBoolean();
    OutputStream stderr = new FilterOutputStream(out) {
      @Override
      public void close() {
        closed.set(true);
      }
    };
    LoggingOptions options = new LoggingOptions();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    options.configure(context, stderr); // as the default logging does at the start of the process
    options.configure(context, stderr); // as the command does, with its flags

    own.info("still shown");

    assertThat(closed).as("the process's stream is not the appender's to close").isFalse();
    assertThat(logs()).contains("INFO  GitOpsLoop: still shown");
  }

  @Test
  void jsonIsOneObjectALineWithTheMdcAndTheFormattedMessage() throws Exception {
    LoggingOptions options = parse("-v", "--log-format", "json");
    assertThat(options.showStackTraces()).isFalse();

    MDC.put("cluster", "kurator-member1");
    own.debug("applied {} objects", 3);
    own.trace("not shown");

    List<JsonNode> lines = jsonLines();
    assertThat(lines).hasSize(1);
    JsonNode line = lines.get(0);
    assertThat(line.get("level").asText()).isEqualTo("DEBUG");
    assertThat(line.get("loggerName").asText()).isEqualTo("dev.fleetbackup.pipeline.GitOpsLoop");
    assertThat(line.get("formattedMessage").asText()).isEqualTo("applied 3 objects");
    assertThat(line.get("mdc").get("cluster").asText()).isEqualTo("kurator-member1");
    assertThat(line.get("timestamp").asLong()).isPositive();
    assertThat(line.has("sequenceNumber")).isFalse();
    assertThat(line.has("arguments")).isFalse();
    assertThat(line.has("context")).isFalse();
  }

  @Test
  void eachVRaisesTheLevelButTheHttpWireLoggerNeverPrintsBodies() {
    LoggingOptions options = parse("-vvv");
    assertThat(options.showStackTraces()).isTrue();

    own.trace("tracing");
    library.debug("library detail");
    wire.trace("< 200 {\"kind\":\"Secret\",\"data\":{\"password\":\"c2VjcmV0\"}}");
    wire.debug("also not");

    assertThat(logs()).contains("TRACE GitOpsLoop: tracing", "DEBUG Transport: library detail");
    assertThat(logs()).doesNotContain("c2VjcmV0", "also not");
  }

  @Test
  void nettysComplaintAboutAClosedClientsEventLoopIsShownOnlyFromVv() {
    Logger closedLoop = LoggerFactory.getLogger(LoggingOptions.CLOSED_EVENT_LOOP_LOGGER);
    parse();
    closedLoop.error("Failed to submit a listener notification task. Event loop shut down?");
    assertThat(logs()).isEmpty();

    parse("-vv");
    closedLoop.error("Failed to submit a listener notification task. Event loop shut down?");
    assertThat(logs()).contains("ERROR rejectedExecution: Failed to submit a listener notification task");
  }

  @Test
  void aTextLogLineCannotBeSplitOrForged() {
    parse();

    own.warn("rejected {}: {}", "main@sha1:9a7d003", "schedule \"0 2 * *\n::error file=deploy/evil.yaml,line=1::forged\u001b[2J\"");
    own.warn("{}", "::warning::at the start of a message");

    assertThat(logs().lines()).hasSize(2).noneMatch(line -> line.startsWith("::"));
    assertThat(logs()).doesNotContain("\u001b")
        .contains("GitOpsLoop: rejected main@sha1:9a7d003: schedule \"0 2 * *\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J\"\n")
        .contains("GitOpsLoop: \\x3a:warning::at the start of a message\n");
  }

  @Test
  void aStackTraceInTheTextLogShowsEachExceptionMessageOnItsLine() {
    parse();

    Exception cause = new IllegalStateException("member said\n::error file=deploy/evil.yaml::forged\u001b[2J");
    own.error("pass failed", new RuntimeException("wrapped\r\nforged line", cause));

    List<String> lines = logs().lines().toList();
    assertThat(lines.get(0)).endsWith("ERROR GitOpsLoop: pass failed");
    assertThat(lines.get(1)).isEqualTo("java.lang.RuntimeException: wrapped\\r\\nforged line");
    assertThat(lines).contains("Caused by: java.lang.IllegalStateException: member said\\n::error file=deploy/evil.yaml::forged\\x1b[2J");
    assertThat(lines.subList(2, lines.size())).allSatisfy(line -> assertThat(line).matches("\tat .*|\t\\.\\.\\. \\d+ .*|Caused by: .*"));
    assertThat(logs()).doesNotContain("\u001b");
  }

  @Test
  void aJsonLogLineEscapesControlCharactersAndKeepsTheMessageExact() throws Exception {
    parse("--log-format", "json");
    String message = "schedule \"0 2 * *\n::error file=deploy/evil.yaml,line=1::forged\u001b[2J\"";

    own.warn("{}", message);

    assertThat(logs().lines()).hasSize(1);
    assertThat(logs()).doesNotContain("\u001b");
    assertThat(jsonLines().get(0).get("formattedMessage").asText()).isEqualTo(message);
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    assertThatThrownBy(() -> new CommandLine(new Probe()).parseArgs("--log-format", "xml"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("text, json");
  }
}
