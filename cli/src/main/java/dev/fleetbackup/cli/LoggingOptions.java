package dev.fleetbackup.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.fleetbackup.model.SafeText;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code -v} (repeatable) and {@code --log-format text|json}, as a mixin. A command calls
 * {@link #apply()} first thing in {@code call()}; logs go to stderr, results stay on stdout.
 *
 * <p>Levels: fleet-backup's own loggers at INFO, {@code -v} DEBUG, {@code -vv} TRACE; libraries at
 * WARN, INFO, DEBUG. fabric8's HTTP wire logger stays at WARN whatever the flags: at TRACE it would
 * print response bodies, Secrets included. Netty's complaint about a closed event loop is left out below {@code -vv}.
 *
 * <p>A log line is one line whatever a message holds: the text format shows control and format
 * characters of messages, and of exception messages in stack traces, as escapes ({@link SafeText});
 * the JSON format is escaped by logback's JSON encoder.
 */
final class LoggingOptions {
  enum LogFormat { text, json }

  static final String OWN_LOGGERS = "dev.fleetbackup";
  /** Logs whole HTTP bodies at TRACE, Secret data included. */
  static final String WIRE_LOGGER = "io.fabric8.kubernetes.client.http";
  /**
   * Netty reports here, at ERROR with a stack trace, a listener it could not notify because its
   * event loop had closed: each member client's, as fleet-backup closes the client after a pass.
   * Nothing is lost; shown from {@code -vv} on.
   */
  static final String CLOSED_EVENT_LOOP_LOGGER = "io.netty.util.concurrent.DefaultPromise.rejectedExecution";
  static final String TEXT_PATTERN = "%d{HH:mm:ss} %-5level %logger{0}: %msg%n%ex";

  @Option(names = {"-v", "--verbose"},
      description = "More detail in the logs: -v debug, -vv trace (repeatable).")
  boolean[] verbosity = new boolean[0];

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "text (for people) or json (one object a line, for log collectors); default: ${DEFAULT-VALUE}.")
  LogFormat format = LogFormat.text;

  /** Sends the logs to stderr in the chosen format and at the chosen level. */
  void apply() {
    apply(System.err);
  }

  /** As {@link #apply()}, to {@code out}; for tests. */
  void apply(OutputStream out) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) { // another SLF4J binding configures itself
      configure(context, out);
    }
  }

  /** Sets {@code context} up as these options say, from scratch. */
  void configure(LoggerContext context, OutputStream out) {
    context.reset();

    Encoder<ILoggingEvent> encoder = format == LogFormat.json ? jsonEncoder(context) : textEncoder(context);
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName(format.name());
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    // the appender closes its stream when the next configuration stops it; stderr must stay open
    appender.setOutputStream(new PrintStream(new Unclosed(out), true));
    appender.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(libraryLevel());
    root.addAppender(appender);
    context.getLogger(OWN_LOGGERS).setLevel(ownLevel());
    context.getLogger(WIRE_LOGGER).setLevel(Level.WARN);
    context.getLogger(CLOSED_EVENT_LOOP_LOGGER).setLevel(showStackTraces() ? Level.DEBUG : Level.OFF);
  }

  /** A stream whose close only flushes: the stream below it is the process's, not the appender's. */
  private static final class Unclosed extends FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  Level ownLevel() {
    return switch (Math.min(verbosity.length, 2)) {
      case 0 -> Level.INFO;
      case 1 -> Level.DEBUG;
      default -> Level.TRACE;
    };
  }

  Level libraryLevel() {
    return switch (Math.min(verbosity.length, 2)) {
      case 0 -> Level.WARN;
      case 1 -> Level.INFO;
      default -> Level.DEBUG;
    };
  }

  /** Stack traces of unexpected errors are worth showing from {@code -vv} on (house style). */
  boolean showStackTraces() {
    return verbosity.length >= 2;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    for (String word : new String[] {"m", "msg", "message"}) {
      layout.getInstanceConverterMap().put(word, OneLineMessage::new);
    }
    for (String word : new String[] {"ex", "exception", "throwable"}) {
      layout.getInstanceConverterMap().put(word, OneLineExceptionMessages::new);
    }
    layout.setPattern(TEXT_PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  /** {@code %msg}: the formatted message on one line. */
  static final class OneLineMessage extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return SafeText.oneLine(String.valueOf(event.getFormattedMessage()));
    }
  }

  /** {@code %ex}: the stack trace as logback prints it, each exception's message on one line. */
  static final class OneLineExceptionMessages extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return super.throwableProxyToString(new OneLineThrowable(proxy));
    }
  }

  private record OneLineThrowable(IThrowableProxy proxy) implements IThrowableProxy {
    @Override
    public String getMessage() {
      return proxy.getMessage() == null ? null : SafeText.oneLine(proxy.getMessage());
    }

    @Override
    public String getOverridingMessage() {
      return proxy.getOverridingMessage() == null ? null : SafeText.oneLine(proxy.getOverridingMessage());
    }

    @Override
    public String getClassName() {
      return proxy.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return proxy.getCause() == null ? null : new OneLineThrowable(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      return suppressed == null ? null : Arrays.stream(suppressed).map(OneLineThrowable::new).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
    }
  }

  /**
   * logback's own JSON encoder: {@code timestamp}, {@code level}, {@code threadName},
   * {@code loggerName}, {@code mdc} (policy, cluster, revision, workflow) and the formatted
   * {@code message}; the raw template, its arguments, the context and sequence numbers are left
   * out as noise.
   */
  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
