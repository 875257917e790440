package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;
import java.util.Collection;
import java.util.Comparator;
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

  /** " (did you mean "x"?)" for the closest known name within a small edit distance, else "". */
  static String didYouMean(String name, Collection<String> known) {
    return known.stream()
        .filter(k -> DISTANCE.apply(name, k) >= 0)
        .min(Comparator.comparingInt((String k) -> DISTANCE.apply(name, k)).thenComparing(k -> k))
        .map(k -> " (did you mean " + SafeText.quote(k) + "?)")
        .orElse("");
  }
}
