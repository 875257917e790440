package dev.fleetbackup.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh|fish}: a completion script for the shell, as kubectl and flux print
 * one. bash and zsh get picocli's script (zsh runs it through {@code bashcompinit}); fish, for which
 * picocli has no generator, gets the commands, options and option values from the same model.
 */
@Command(name = "completion",
    description = {"Print a shell completion script.",
        "bash:  source <(fleet-backup completion bash)   (or save it in /etc/bash_completion.d/)",
        "zsh:   source <(fleet-backup completion zsh)    (bash's script, through bashcompinit)",
        "fish:  fleet-backup completion fish > ~/.config/fish/completions/fleet-backup.fish"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:printed", "2:usage error"})
final class CompletionCommand implements Callable<Integer> {
  enum Shell { bash, zsh, fish }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
  Shell shell;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String name = spec.root().name();
    String script = shell == Shell.fish ? fish(name, root.getCommandSpec()) : AutoComplete.bash(name, root);
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** fish's {@code complete} lines: each subcommand where none is given yet, then each one's options. */
  static String fish(String name, CommandSpec root) {
    List<String> lines = new ArrayList<>();
    lines.add("# fish completion for " + name + ", printed by `" + name + " completion fish`");
    lines.add("complete -c " + name + " -f");
    options(root).forEach(o -> lines.add(option(name, "__fish_use_subcommand", o)));
    for (Map.Entry<String, CommandLine> sub : root.subcommands().entrySet()) {
      CommandSpec command = sub.getValue().getCommandSpec();
      if (command.usageMessage().hidden() || !command.name().equals(sub.getKey())) {
        continue;
      }
      lines.add("complete -c " + name + " -n __fish_use_subcommand -a " + sub.getKey() + " -d " + quote(first(command.usageMessage().description())));
      String condition = "'__fish_seen_subcommand_from " + sub.getKey() + "'";
      options(command).forEach(o -> lines.add(option(name, condition, o)));
      if (!command.subcommands().isEmpty()) {
        lines.add("complete -c " + name + " -n " + condition + " -a " + quote(String.join(" ", command.subcommands().keySet())));
      }
      command.positionalParameters().stream().filter(p -> p.completionCandidates() != null).forEach(p ->
          lines.add("complete -c " + name + " -n " + condition + " -a " + quote(join(p.completionCandidates()))));
    }
    return String.join("\n", lines) + "\n";
  }

  private static List<OptionSpec> options(CommandSpec command) {
    return command.options().stream().filter(o -> !o.hidden()).toList();
  }

  private static String option(String name, String condition, OptionSpec option) {
    StringBuilder line = new StringBuilder("complete -c " + name + " -n " + condition);
    for (String flag : option.names()) {
      line.append(flag.startsWith("--") ? " -l " + flag.substring(2) : " -s " + flag.substring(1));
    }
    if (option.arity().max() > 0) {
      line.append(" -r");
      if (option.completionCandidates() != null) {
        line.append(" -a ").append(quote(join(option.completionCandidates())));
      } else if (option.type() == java.nio.file.Path.class) {
        line.append(" -F");
      }
    }
    return line.append(" -d ").append(quote(first(option.description()))).toString();
  }

  private static String join(Iterable<String> candidates) {
    List<String> all = new ArrayList<>();
    candidates.forEach(all::add);
    return String.join(" ", all);
  }

  private static String first(String[] description) {
    return description.length == 0 ? "" : description[0];
  }

  /** A fish single-quoted string: only {@code \} and {@code '} are special in it. */
  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
