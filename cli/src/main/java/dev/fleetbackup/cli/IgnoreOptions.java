package dev.fleetbackup.cli;

import dev.fleetbackup.source.IgnorePatterns;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --ignore PATTERN}: paths of the config repo to leave out, beside its {@code .sourceignore} files. */
final class IgnoreOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--ignore", paramLabel = "PATTERN",
      description = {"Leave out the paths that match, in .sourceignore (gitignore) syntax, e.g. 'drafts/' or '!/keep.yaml'; "
          + "repeatable.", "Patterns given here outrank the repo's own .sourceignore files."})
  List<String> patterns = new ArrayList<>();

  IgnorePatterns value() {
    try {
      return new IgnorePatterns(patterns);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
