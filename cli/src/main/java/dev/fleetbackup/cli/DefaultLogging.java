package dev.fleetbackup.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration until a command applies its {@link LoggingOptions}: their defaults. Set
 * in code, as the service logback asks first, because a {@code logback.xml} costs every start of
 * the command line a few hundred milliseconds of XML parsing.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    new LoggingOptions().configure(context, System.err);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
