package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.source.PolicyFile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The YAML budget of one commit, applied before any tree is built: every file is measured first
 * (in parallel, building nothing, with the limits of {@link YamlReader}), then, in path order, each
 * file adds its nodes until the commit's {@link #MAX_NODES} would be passed. That file is refused at
 * the line where the budget ran out and the files after it are not validated. What is admitted
 * depends on the files alone, not on which thread finished first: the same commit always gets the
 * same errors.
 */
final class YamlBudget {
  /**
   * YAML nodes per commit, aliases expanded: what bounds the memory a commit's validation takes and
   * its policies keep while applied. 2.7 times the 185,567 of {@code make bench}'s 10,000 files.
   */
  static final long MAX_NODES = 500_000;

  private YamlBudget() {}

  private record Measure(long nodes, Diagnostic problem) {}

  /** The files whose YAML is within every budget, in path order; each one refused is reported. */
  static List<PolicyFile> admit(List<PolicyFile> files, Consumer<Diagnostic> report) {
    List<Measure> measures = files.parallelStream().map(YamlBudget::measure).toList();
    List<PolicyFile> admitted = new ArrayList<>();
    long remaining = MAX_NODES;
    for (int i = 0; i < files.size(); i++) {
      Measure measure = measures.get(i);
      if (measure.nodes() > remaining) {
        report.accept(ranOut(files.get(i), remaining, files.size() - i - 1));
        break;
      }
      remaining -= measure.nodes();
      if (measure.problem() == null) {
        admitted.add(files.get(i));
      } else {
        report.accept(measure.problem());
      }
    }
    return admitted;
  }

  private static Measure measure(PolicyFile file) {
    try {
      return new Measure(new YamlReader().measure(file.path(), file.text(), YamlReader.NodeLimit.PER_FILE), null);
    } catch (YamlReader.YamlProblem problem) {
      return new Measure(problem.nodes(), problem.diagnostic());
    }
  }

  /** Measures the file again with what is left of the budget, to say where it ran out. */
  private static Diagnostic ranOut(PolicyFile file, long remaining, int after) {
    YamlReader.NodeLimit limit = new YamlReader.NodeLimit(remaining, "the commit's YAML expands to more than " + MAX_NODES
        + " nodes by this point, the limit for a commit: this file and the " + after + " after it (in path order) are not validated");
    try {
      new YamlReader().measure(file.path(), file.text(), limit);
      throw new IllegalStateException("measuring " + file.path() + " twice gave two counts");
    } catch (YamlReader.YamlProblem problem) {
      return problem.diagnostic();
    }
  }
}
