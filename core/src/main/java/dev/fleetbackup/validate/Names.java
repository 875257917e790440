package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The namespace-name rule (for namespace mappings) and "did you mean" suggestions for names that name nothing. */
final class Names {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);

  private Names() {}

  /** Why {@code name} is not a valid namespace name (a DNS-1123 label), if it is not. */
  static Optional<String> namespaceProblem(String name) {
    if (name.length() > 63) {
      return Optional.of("must be no more than 63 characters");
    }
    if (!DNS1123_LABEL.matcher(name).matches()) {
      return Optional.of("must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
    }
    return Optional.empty();
  }

  /**
   * "Did you mean" for one validation, best effort: at most {@link #MAX_COMPARISONS} names are
   * compared in all, so that a commit of ten thousand dangling references costs a moment rather
   * than hours. The checks run in a fixed order, so the same commit gets the same suggestions.
   */
  static final class Suggestions {
    static final long MAX_COMPARISONS = 1_000_000;
    private long left = MAX_COMPARISONS;

    /** " (did you mean "x"?)" for the closest known name within a small edit distance, else "". */
    String didYouMean(String name, Collection<String> known) {
      if (known.size() > left) {
        left = 0;
        return "";
      }
      left -= known.size();
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String candidate : known) {
        int distance = DISTANCE.apply(name, candidate);
        if (distance >= 0 && (distance < bestDistance || distance == bestDistance && candidate.compareTo(best) < 0)) {
          best = candidate;
          bestDistance = distance;
        }
      }
      return best == null ? "" : " (did you mean " + SafeText.quote(best) + "?)";
    }
  }
}
