package dev.fleetbackup.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Links from a position in the config repo ({@code file:line} of a rejected commit) to that line of
 * the file as the forge shows it at that commit. A URL template with {@code {repo}},
 * {@code {commit}}, {@code {path}} and {@code {line}}: GitHub's, GitLab's or Gitea's, derived from
 * the remote's URL on a host that names its forge, or the operator's own. The commit and the path
 * come from the config repo, so each part is checked and percent-encoded: a link never leaves the
 * template's host and path, and never closes the Markdown around it.
 */
public final class ForgeLinks {
  public static final String GITHUB = "https://{host}/{repo}/blob/{commit}/{path}#L{line}";
  public static final String GITLAB = "https://{host}/{repo}/-/blob/{commit}/{path}#L{line}";
  public static final String GITEA = "https://{host}/{repo}/src/commit/{commit}/{path}#L{line}";

  /** The characters an operator's template may hold: a URL's, but none that ends a Markdown link or a quote. */
  private static final Pattern TEMPLATE = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?(/[A-Za-z0-9\\-._~/?#=&%+,;:@!${}]*)?");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.\\-]*[A-Za-z0-9])?");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
  private static final Pattern SCP = Pattern.compile("(?:[^@/:]+@)?([^@/:]+):(?!//)(.+)");

  private final String template;
  private final Optional<String> repo;

  private ForgeLinks(String template, Optional<String> repo) {
    this.template = template;
    this.repo = repo;
  }

  /**
   * The operator's template ({@code --forge-url-template}), {@code {repo}} taken from the remote's URL.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ForgeLinks template(String template, String remoteUrl) {
    if (!TEMPLATE.matcher(template).matches()) {
      throw new IllegalArgumentException("\"" + template + "\" is no http(s) URL of letters, digits and -._~/?#=&%+,;:@!$"
          + " with {repo}, {commit}, {path} and {line}");
    }
    if (!template.contains("{commit}") || !template.contains("{path}")) {
      throw new IllegalArgumentException("\"" + template + "\" has no {commit} or no {path}");
    }
    Optional<String> repo = remote(remoteUrl).map(Remote::repo);
    if (template.contains("{repo}") && repo.isEmpty()) {
      throw new IllegalArgumentException("\"" + template + "\" has {repo}, and the remote's URL names no repository path");
    }
    return new ForgeLinks(template, repo);
  }

  /** GitHub's, GitLab's or Gitea's links, when the remote is on a host that names one of them. */
  public static Optional<ForgeLinks> forRemote(String remoteUrl) {
    return remote(remoteUrl).flatMap(remote -> forgeOf(remote.host()).map(t -> new ForgeLinks(
        t.replace("{host}", remote.webHost()), Optional.of(remote.repo()))));
  }

  private static Optional<String> forgeOf(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("github.com") || h.startsWith("github.")) {
      return Optional.of(GITHUB);
    }
    if (h.equals("gitlab.com") || h.startsWith("gitlab.")) {
      return Optional.of(GITLAB);
    }
    if (h.equals("gitea.com") || h.equals("codeberg.org") || h.startsWith("gitea.") || h.startsWith("forgejo.")) {
      return Optional.of(GITEA);
    }
    return Optional.empty();
  }

  /**
   * The link to {@code line} of {@code path} at {@code commit}; empty when the commit is no SHA or the
   * path holds a {@code .} or {@code ..} segment (a browser would resolve it out of the repository).
   */
  public Optional<String> blob(String commit, String path, int line) {
    if (!COMMIT.matcher(commit).matches() || line < 1) {
      return Optional.empty();
    }
    Optional<String> encodedPath = segments(path);
    if (encodedPath.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(template
        .replace("{repo}", repo.flatMap(ForgeLinks::segments).orElse(""))
        .replace("{commit}", commit)
        .replace("{path}", encodedPath.get())
        .replace("{line}", Integer.toString(line)));
  }

  @Override
  public String toString() {
    return repo.map(r -> template.replace("{repo}", r)).orElse(template);
  }

  /** Each segment percent-encoded but for RFC 3986's unreserved characters, joined by {@code /}. */
  private static Optional<String> segments(String path) {
    List<String> parts = List.of(path.split("/", -1));
    if (path.isEmpty() || parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (out.length() > 0) {
        out.append('/');
      }
      for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
        char c = (char) (b & 0xff);
        if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
          out.append(c);
        } else {
          out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
      }
    }
    return Optional.of(out.toString());
  }

  /** Where a remote lives: its host, the host (and port) its web pages are on, its path without {@code .git}. */
  private record Remote(String host, String webHost, String repo) {}

  private static Optional<Remote> remote(String url) {
    try {
      if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("ssh://")) {
        URI uri = new URI(url);
        if (uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
          return Optional.empty();
        }
        boolean web = !"ssh".equals(uri.getScheme());
        String webHost = uri.getHost() + (web && uri.getPort() > 0 ? ":" + uri.getPort() : "");
        return repoPath(uri.getPath()).map(repo -> new Remote(uri.getHost(), webHost, repo));
      }
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    var scp = SCP.matcher(url);
    if (scp.matches() && HOST.matcher(scp.group(1)).matches()) {
      return repoPath(scp.group(2)).map(repo -> new Remote(scp.group(1), scp.group(1), repo));
    }
    return Optional.empty();
  }

  private static Optional<String> repoPath(String path) {
    if (path == null) {
      return Optional.empty();
    }
    String repo = path.replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
    return segments(repo).isPresent() ? Optional.of(repo) : Optional.empty();
  }
}
