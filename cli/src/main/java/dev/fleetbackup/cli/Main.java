package dev.fleetbackup.cli;

import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.ExitCode;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The composition root: builds the collaborators once and hands them to the commands. */
@Command(name = "fleet-backup",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Keeps the Velero backups, restores and migrations of a fleet of Kubernetes clusters in the shape a Git repository describes.",
    subcommands = {ValidateCommand.class, BuildCommand.class, DiffCommand.class, ApplyCommand.class, RunCommand.class, StatusCommand.class,
        CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line; only {@link #main} exits the JVM. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err, components()).execute(args);
  }

  /** The product's collaborators as this build ships them: members see its version in the User-Agent. */
  public static Components components() {
    return Components.standard(VersionProvider.projectVersion().orElse("unknown"));
  }

  /** The command line over {@code components}, with {@code extra} commands beside fleet-backup's own (the sandbox adds one). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Components components, Object... extra) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      @SuppressWarnings("unchecked")
      public <K> K create(Class<K> type) throws Exception {
        if (type == ValidateCommand.class) {
          return (K) new ValidateCommand(components.validator());
        }
        if (type == BuildCommand.class) {
          return (K) new BuildCommand(components.pipeline());
        }
        if (type == DiffCommand.class) {
          return (K) new DiffCommand(PassCommand.Runner.of(components.pipeline()));
        }
        if (type == ApplyCommand.class) {
          return (K) new ApplyCommand(PassCommand.Runner.of(components.pipeline()));
        }
        if (type == StatusCommand.class) {
          return (K) new StatusCommand(components.clock());
        }
        if (type == RunCommand.class) {
          return (K) new RunCommand(components.validator(), components.passes(), components.clock());
        }
        return defaults.create(type);
      }
    };
    CommandLine commandLine = new CommandLine(new Main(), factory);
    for (Object command : extra) {
      commandLine.addSubcommand(command);
    }
    commandLine.registerConverter(Duration.class, Main::duration);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      cmd.getErr().println("fleet-backup: " + SafeText.oneLine(describe(e)));
      cmd.getErr().flush();
      return ExitCode.ERROR.code();
    });
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.ERROR.code());
    return commandLine;
  }

  /** Durations as Go and Flux users write them ({@code 1m}, {@code 90s}), or ISO-8601 ({@code PT1M}). */
  static Duration duration(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      return Duration.parse(text);
    }
    return GoDuration.parse(text).filter(d -> !d.isNegative())
        .orElseThrow(() -> new CommandLine.TypeConversionException("'" + text + "' is not a duration such as 30s, 5m or 1h"));
  }

  /** A usage error as kubectl prints one: what is wrong, a suggestion for a mistyped name, where the usage is; exit 2. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(SafeText.oneLine(e.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCode.ERROR.code();
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
