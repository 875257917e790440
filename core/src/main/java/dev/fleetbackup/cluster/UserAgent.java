package dev.fleetbackup.cluster;

import dev.fleetbackup.model.SafeText;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code User-Agent} fleet-backup sends to every member, so that a member's audit log tells
 * which build, and which instance of it, made each request: {@code fleet-backup/0.1.0}, and under
 * leader election {@code fleet-backup/0.1.0 (fleet-backup-7d9f8-x2kqp)}, the instance's identity in
 * the Lease as a comment (kubectl sends {@code kubectl/v1.31.0 (linux/amd64) kubernetes/8d2e3a1}).
 *
 * @param version the build's version, an HTTP token such as {@code 0.1.0-SNAPSHOT}
 * @param instance the identity this instance competes for the Lease as: a Pod name, or whatever an
 *     operator set; written escaped and cut, never as given
 */
public record UserAgent(String version, Optional<String> instance) {
  private static final String PRODUCT = "fleet-backup";
  /** RFC 9110's {@code token}: what a product version may be made of. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public UserAgent {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(instance, "instance");
    if (!TOKEN.matcher(version).matches()) {
      throw new IllegalArgumentException("not a product version for a User-Agent: " + SafeText.quote(version));
    }
  }

  /** This build, no instance named: {@code diff}, {@code apply}, and {@code run} without leader election. */
  public static UserAgent of(String version) {
    return new UserAgent(version, Optional.empty());
  }

  /** The same build, naming the instance {@code identity}. */
  public UserAgent forInstance(String identity) {
    return new UserAgent(version, Optional.of(identity));
  }

  /**
   * The header's value: {@code fleet-backup/VERSION}, then the instance as a comment. The identity
   * is made one line of visible characters ({@link SafeText#oneLine}, at most
   * {@value SafeText#QUOTE_LIMIT} code points), then printable ASCII: any other character is
   * written as a {@code \\uXXXX} escape, and {@code (}, {@code )} and {@code \} are quoted with a
   * backslash, so the value is a valid header that a parenthesis in the identity cannot end early.
   */
  public String header() {
    return PRODUCT + "/" + version + instance.map(i -> " (" + comment(i) + ")").orElse("");
  }

  private static String comment(String identity) {
    String visible = SafeText.oneLine(SafeText.truncate(identity, SafeText.QUOTE_LIMIT));
    StringBuilder out = new StringBuilder(visible.length() + 8);
    for (char c : visible.toCharArray()) {
      if (c == '(' || c == ')' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
