package dev.fleetbackup.cluster;

import dev.fleetbackup.model.SafeText;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.ClusterBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.ExecConfigBuilder;
import io.fabric8.kubernetes.api.model.ExecEnvVar;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one check every member kubeconfig passes before a client is built from it. A kubeconfig is
 * data: the context in use (its current context, or the one named for the cluster), that context's
 * cluster and user, and of those only what is inline —
 * the server, {@code certificate-authority-data}, {@code proxy-url}, {@code client-certificate-data}
 * and {@code client-key-data}, {@code token}, {@code username} and {@code password}, and
 * impersonation ({@code as}, {@code as-groups}, {@code as-user-extra}). What would make fleet-backup
 * run a command ({@code exec}, unless the policy allows it), call out ({@code auth-provider}), read
 * a local file ({@code certificate-authority}, {@code client-certificate}, {@code client-key},
 * {@code tokenFile}), skip TLS verification or send credentials in clear (unless the policy allows
 * it), or what fabric8 would silently ignore ({@code tls-server-name}, {@code as-uid}) is refused.
 * Other fields carry no behaviour fleet-backup uses and are dropped (Flux, too, copies only the fields it knows).
 *
 * <p>The result is a new kubeconfig holding only what was let through, for one context; nothing
 * of the original text reaches fabric8.
 */
final class KubeconfigCheck {
  /** The names the sanitized kubeconfig uses for its one cluster, user and context. */
  static final String NAME = "member";
  private static final Set<String> PROXY_SCHEMES = Set.of("http", "https", "socks5");
  /** The user fields that name a file, each with the inline field to use instead. */
  private static final String[][] USER_FILES = {
      {"client-certificate", "client-certificate-data"}, {"client-key", "client-key-data"}, {"tokenFile", "token"}};

  private final KubeconfigPolicy policy;

  private KubeconfigCheck(KubeconfigPolicy policy) {
    this.policy = policy;
  }

  /**
   * What {@code kubeconfig} lets through, or why it is refused, in one line naming {@code cluster}
   * and the origin. A context named for it ({@link Kubeconfig#merged}) that no file holds makes
   * the kubeconfig unavailable to that cluster rather than refused.
   */
  static Config check(String cluster, Kubeconfig kubeconfig) throws CredentialsUnavailableException {
    String where = "kubeconfig of cluster " + cluster + " (" + kubeconfig.origin() + "): ";
    try {
      KubeconfigMerge merged = KubeconfigMerge.of(kubeconfig.files());
      if (kubeconfig.context().isPresent()) {
        String context = kubeconfig.context().get();
        if (merged.entry("contexts", context).isEmpty()) {
          throw new CredentialsUnavailableException(where + "no context " + SafeText.quote(context) + " in "
              + (kubeconfig.files().size() == 1 ? "the file" : "any of the files") + "; map the cluster to one with --context "
              + cluster + "=CONTEXT");
        }
        return new KubeconfigCheck(kubeconfig.policy()).sanitize(merged, context, "context " + SafeText.quote(context));
      }
      String current = merged.currentContext()
          .orElseThrow(() -> new Refusal("current-context is not set", "fleet-backup uses the current context only"));
      return new KubeconfigCheck(kubeconfig.policy()).sanitize(merged, current, "current-context");
    } catch (Refusal r) {
      throw new KubeconfigRefusedException(where + r.getMessage());
    }
  }

  /** Only what {@code contextName} uses, checked; {@code by} names what chose the context, for messages. */
  private Config sanitize(KubeconfigMerge merged, String contextName, String by) throws Refusal {
    Entry context = entry(merged, "contexts", "context", contextName, by);
    String clusterName = text(context.fields, "cluster", context.path + ".cluster")
        .orElseThrow(() -> new Refusal(context.path + ".cluster is not set", ""));
    String userName = text(context.fields, "user", context.path + ".user")
        .orElseThrow(() -> new Refusal(context.path + ".user is not set", ""));
    Cluster cluster = cluster(entry(merged, "clusters", "cluster", clusterName, context.path + ".cluster"));
    AuthInfo user = user(entry(merged, "users", "user", userName, context.path + ".user"));
    return new ConfigBuilder()
        .withApiVersion("v1")
        .withKind("Config")
        .addNewCluster().withName(NAME).withCluster(cluster).endCluster()
        .addNewUser().withName(NAME).withUser(user).endUser()
        .addNewContext().withName(NAME).withNewContext().withCluster(NAME).withUser(NAME).endContext().endContext()
        .withCurrentContext(NAME)
        .build();
  }

  private Cluster cluster(Entry entry) throws Refusal {
    Map<?, ?> c = entry.fields;
    String p = entry.path;
    if (present(c, "certificate-authority")) {
      throw new Refusal(p + ".certificate-authority names a file", "only certificate-authority-data is accepted");
    }
    if (present(c, "tls-server-name")) {
      throw new Refusal(p + ".tls-server-name cannot be honoured by fleet-backup's HTTP client", "it would be ignored");
    }
    String server = text(c, "server", p + ".server").orElseThrow(() -> new Refusal(p + ".server is not set", ""));
    String scheme = uri(server).filter(u -> u.getHost() != null).map(u -> u.getScheme().toLowerCase(Locale.ROOT)).orElse("");
    boolean insecureAllowed = policy.transport() == KubeconfigPolicy.Transport.INSECURE_ALLOWED;
    if (scheme.equals("http") && !insecureAllowed) {
      throw new Refusal(p + ".server is plain http, the credentials would travel in clear", "--insecure-kubeconfig-tls allows it");
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new Refusal(p + ".server is not an https URL", "");
    }
    boolean skipVerify = bool(c, "insecure-skip-tls-verify", p + ".insecure-skip-tls-verify");
    if (skipVerify && !insecureAllowed) {
      throw new Refusal(p + ".insecure-skip-tls-verify turns off verification of the server's certificate",
          "--insecure-kubeconfig-tls allows it");
    }
    Optional<String> proxy = text(c, "proxy-url", p + ".proxy-url");
    if (proxy.isPresent() && uri(proxy.get())
        .filter(u -> u.getScheme() != null && PROXY_SCHEMES.contains(u.getScheme().toLowerCase(Locale.ROOT)))
        .filter(u -> u.getHost() != null && u.getPort() > 0).isEmpty()) {
      throw new Refusal(p + ".proxy-url is not an http, https or socks5 URL with a host and a port", "");
    }
    return new ClusterBuilder()
        .withServer(server)
        .withInsecureSkipTlsVerify(skipVerify ? Boolean.TRUE : null)
        .withCertificateAuthorityData(base64(c, "certificate-authority-data", p).orElse(null))
        .withProxyUrl(proxy.orElse(null))
        .build();
  }

  private AuthInfo user(Entry entry) throws Refusal {
    Map<?, ?> u = entry.fields;
    String p = entry.path;
    if (present(u, "exec") && policy.exec() == KubeconfigPolicy.ExecPlugins.REFUSED) {
      throw new Refusal(p + ".exec would run a command", "--insecure-kubeconfig-exec allows it");
    }
    if (present(u, "auth-provider")) {
      throw new Refusal(p + ".auth-provider would call out to a plugin or an identity provider", "use token or client-certificate-data");
    }
    for (String[] file : USER_FILES) {
      if (present(u, file[0])) {
        throw new Refusal(p + "." + file[0] + " names a file", "only " + file[1] + " is accepted");
      }
    }
    if (present(u, "as-uid")) {
      throw new Refusal(p + ".as-uid cannot be honoured by fabric8", "it would be ignored");
    }
    Optional<String> certificate = base64(u, "client-certificate-data", p);
    Optional<String> key = base64(u, "client-key-data", p);
    pair(certificate, key, p + ".client-certificate-data", p + ".client-key-data");
    Optional<String> username = text(u, "username", p + ".username");
    Optional<String> password = text(u, "password", p + ".password");
    pair(username, password, p + ".username", p + ".password");
    return new AuthInfoBuilder()
        .withClientCertificateData(certificate.orElse(null))
        .withClientKeyData(key.orElse(null))
        .withToken(text(u, "token", p + ".token").orElse(null))
        .withUsername(username.orElse(null))
        .withPassword(password.orElse(null))
        .withAs(text(u, "as", p + ".as").orElse(null))
        .withAsGroups(texts(u.get("as-groups"), p + ".as-groups").orElse(null))
        .withAsUserExtra(extras(u.get("as-user-extra"), p + ".as-user-extra").orElse(null))
        .withExec(present(u, "exec") ? exec(map(u.get("exec"), p + ".exec"), p + ".exec") : null)
        .build();
  }

  /** Only reached when the policy allows exec plugins: what fabric8 needs to run one, nothing else. */
  private static ExecConfig exec(Map<?, ?> e, String p) throws Refusal {
    List<ExecEnvVar> env = new ArrayList<>();
    for (Entry variable : list(e.get("env"), p + ".env")) {
      env.add(new ExecEnvVar(text(variable.fields, "name", variable.path + ".name")
          .orElseThrow(() -> new Refusal(variable.path + ".name is not set", "")),
          string(variable.fields, "value", variable.path + ".value").orElse("")));
    }
    return new ExecConfigBuilder()
        .withApiVersion(text(e, "apiVersion", p + ".apiVersion").orElseThrow(() -> new Refusal(p + ".apiVersion is not set", "")))
        .withCommand(text(e, "command", p + ".command").orElseThrow(() -> new Refusal(p + ".command is not set", "")))
        .withArgs(strings(e.get("args"), p + ".args").orElse(List.of()))
        .withEnv(env)
        .build();
  }

  /** The one entry of {@code list} named {@code name}, e.g. {@code clusters[2].cluster}; {@code by} names the field that asked. */
  private static Entry entry(KubeconfigMerge merged, String list, String field, String name, String by) throws Refusal {
    KubeconfigMerge.Named found = merged.entry(list, name).orElseThrow(() -> new Refusal(by + " names no entry of " + list, ""));
    if (found.inItsFile() > 1) {
      throw new Refusal(by + " names " + found.inItsFile() + " entries of " + list, "which one is meant is not clear");
    }
    String path = found.path() + "." + field;
    Object fields = found.fields().get(field);
    if (fields == null) {
      throw new Refusal(path + " is not set", "");
    }
    return new Entry(path, map(fields, path));
  }

  /** The mappings of a list, each with its path ({@code clusters[0]}); absent is empty. */
  static List<Entry> list(Object value, String path) throws Refusal {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      throw new Refusal(path + " must be a list", "");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      entries.add(new Entry(path + "[" + i + "]", map(items.get(i), path + "[" + i + "]")));
    }
    return entries;
  }

  private static Map<?, ?> map(Object value, String path) throws Refusal {
    if (!(value instanceof Map<?, ?> m)) {
      throw new Refusal(path + " must be a mapping", "");
    }
    return m;
  }

  private static boolean present(Map<?, ?> fields, String key) {
    Object value = fields.get(key);
    return value != null && !"".equals(value);
  }

  /** A string field, absent when missing, null or empty. */
  private static Optional<String> string(Map<?, ?> fields, String key, String path) throws Refusal {
    Object value = fields.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw new Refusal(path + " must be a string", "");
    }
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** A string that becomes a header, a URL or a name: no control or format characters, which could split a header. */
  static Optional<String> text(Map<?, ?> fields, String key, String path) throws Refusal {
    Optional<String> s = string(fields, key, path);
    if (s.isPresent() && SafeText.hasControlOrFormat(s.get())) {
      throw new Refusal(path + " holds a control character", "");
    }
    return s;
  }

  private static Optional<List<String>> strings(Object value, String path) throws Refusal {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof List<?> items) || !items.stream().allMatch(String.class::isInstance)) {
      throw new Refusal(path + " must be a list of strings", "");
    }
    return Optional.of(items.stream().map(String.class::cast).toList());
  }

  private static Optional<List<String>> texts(Object value, String path) throws Refusal {
    Optional<List<String>> items = strings(value, path);
    if (items.isPresent() && items.get().stream().anyMatch(SafeText::hasControlOrFormat)) {
      throw new Refusal(path + " holds a control character", "");
    }
    return items;
  }

  private static Optional<Map<String, List<String>>> extras(Object value, String path) throws Refusal {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map(value, path).entrySet()) {
      if (!(e.getKey() instanceof String key) || SafeText.hasControlOrFormat(key)) {
        throw new Refusal(path + " must map names to lists of strings", "");
      }
      out.put(key, texts(e.getValue(), path).orElse(List.of()));
    }
    return Optional.of(out);
  }

  private static boolean bool(Map<?, ?> fields, String key, String path) throws Refusal {
    Object value = fields.get(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw new Refusal(path + " must be true or false", "");
    }
    return b;
  }

  /** A {@code *-data} field: base64 as Go reads it (line breaks allowed), passed on without them. */
  private static Optional<String> base64(Map<?, ?> fields, String key, String parent) throws Refusal {
    String path = parent + "." + key;
    Optional<String> value = string(fields, key, path).map(s -> s.replace("\r", "").replace("\n", ""));
    if (value.isPresent()) {
      try {
        Base64.getDecoder().decode(value.get());
      } catch (IllegalArgumentException e) {
        throw new Refusal(path + " is not valid base64", "");
      }
    }
    return value;
  }

  private static void pair(Optional<String> a, Optional<String> b, String aPath, String bPath) throws Refusal {
    if (a.isPresent() != b.isPresent()) {
      throw new Refusal((a.isPresent() ? aPath : bPath) + " comes without " + (a.isPresent() ? bPath : aPath), "");
    }
  }

  private static Optional<URI> uri(String text) {
    try {
      URI uri = new URI(text);
      return uri.getScheme() == null ? Optional.empty() : Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** A mapping of the kubeconfig and its path, for messages. */
  record Entry(String path, Map<?, ?> fields) {}

  /** Why a kubeconfig is refused: what, without any value, and what would allow it, if anything. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    Refusal(String what, String hint) {
      this(what + "; refused" + (hint.isEmpty() ? "" : " (" + hint + ")"));
    }

    private Refusal(String message) {
      super(message, null, false, false);
    }

    /** The same refusal, its message starting with {@code prefix} (the file's path, of several). */
    Refusal in(String prefix) {
      return prefix.isEmpty() ? this : new Refusal(prefix + getMessage());
    }
  }
}
