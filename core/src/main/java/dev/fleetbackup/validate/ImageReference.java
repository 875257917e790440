package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Container image references as the distribution project's reference grammar defines them (what
 * the kubelet and every registry client parse): {@code [domain[:port]/]path[:tag][@digest]}.
 */
final class ImageReference {
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REPOSITORY = Pattern.compile(NAME);
  private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
  private static final int MAX_NAME = 255;

  private ImageReference() {}

  /** What is wrong with a repository name without tag or digest ({@code docker.io/velero/velero}). */
  static Optional<String> repositoryProblem(String repository) {
    if (repository.length() > MAX_NAME || !REPOSITORY.matcher(repository).matches()) {
      return Optional.of(SafeText.quote(repository) + " is not an image repository such as docker.io/velero/velero"
          + " (lower-case path components, an optional registry host and port, no tag)");
    }
    return Optional.empty();
  }

  /** What is wrong with a whole reference ({@code velero/velero-plugin-for-gcp:v1.14.0}). */
  static Optional<String> referenceProblem(String reference) {
    var m = REFERENCE.matcher(reference);
    if (!m.matches() || m.group(1).length() > MAX_NAME) {
      return Optional.of(SafeText.quote(reference) + " is not an image reference such as velero/velero-plugin-for-gcp:v1.14.0"
          + " ([registry[:port]/]path[:tag][@sha256:digest])");
    }
    return Optional.empty();
  }
}
