package dev.fleetbackup.validate;

import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceFilter;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.SourceMap;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The operator's {@link Guardrails} on every object, and the syntax of the storage endpoints they
 * read: a URL the AWS plugin connects to is checked once, for both. A message about a guardrail
 * ends with the guardrail's flag, so that the author of a pull request knows whom to ask.
 */
final class GuardrailRules {
  private static final String LOCATION = "/spec/plugin/backup/storage/location";
  /** Config keys whose values are URLs the plugin connects to, like the endpoint (which fleet-backup writes as s3Url). */
  private static final List<String> URL_CONFIG_KEYS = List.of("s3Url", "publicUrl");
  /** A user name and password in a URL, which a message does not repeat. */
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");
  private static final Pattern PORT = Pattern.compile(":[0-9]*$");

  private final Guardrails guardrails;
  private final Consumer<Diagnostic> report;
  private final Names.Suggestions suggestions = new Names.Suggestions();

  private GuardrailRules(Guardrails guardrails, Consumer<Diagnostic> report) {
    this.guardrails = guardrails;
    this.report = report;
  }

  static void check(PolicySet policies, Guardrails guardrails, Consumer<Diagnostic> report) {
    GuardrailRules rules = new GuardrailRules(guardrails, report);
    policies.fleets().forEach(rules::checkStorage);
    policies.restores().forEach(r -> rules.checkTargets(r, r.spec().effectivePolicy().filter(), r.spec().effectivePolicy().namespaceMapping()));
    policies.migrates().forEach(m -> rules.checkTargets(m, m.spec().effectivePolicy().filter(), m.spec().effectivePolicy().namespaceMapping()));
  }

  private static String guardrail(String flag) {
    return " (guardrail " + flag + ")";
  }

  private void checkStorage(Fleet fleet) {
    fleet.backup().ifPresent(backup -> {
      Fleet.Location location = backup.storage().location();
      checkEndpoint(fleet.locate(LOCATION + "/endpoint"), "endpoint", location.endpoint());
      location.config().forEach((key, value) -> {
        String pointer = SourceMap.child(LOCATION + "/config", key);
        if (!guardrails.allowedStorageConfigKeys().contains(key)) {
          report.accept(Diagnostic.error(fleet.locate(pointer), "config key " + SafeText.quote(key)
              + " is not an allowed BackupStorageLocation config key" + suggestions.didYouMean(key, guardrails.allowedStorageConfigKeys())
              + guardrail(Guardrails.ALLOWED_STORAGE_CONFIG_KEYS)));
        } else if (URL_CONFIG_KEYS.contains(key) && !value.isEmpty()) {
          checkEndpoint(fleet.locate(pointer), "config " + key, value);
        }
      });
    });
  }

  private void checkEndpoint(SourceLocation at, String field, String url) {
    String prefix = field + " " + SafeText.quote(USER_INFO.matcher(url).replaceFirst("…@")) + ": ";
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(url);
    } catch (IllegalArgumentException e) {
      report.accept(Diagnostic.error(at, prefix + e.getMessage()));
      return;
    }
    List<AllowedHost> allowed = guardrails.allowedStorageHosts();
    if (allowed.stream().anyMatch(a -> !a.isAny() && a.matches(endpoint.host()))) {
      return;
    }
    String hostText = "host " + SafeText.quote(endpoint.written());
    Optional<String> refused = endpoint.host().refusedBecause();
    if (refused.isPresent()) {
      report.accept(Diagnostic.error(at, prefix + hostText + " " + refused.get() + guardrail(Guardrails.ALLOWED_STORAGE_HOSTS)));
    } else if (!allowed.contains(AllowedHost.ANY)) {
      report.accept(Diagnostic.error(at, prefix + hostText + " is not an allowed storage host" + guardrail(Guardrails.ALLOWED_STORAGE_HOSTS)));
    }
  }

  /** The host of an http(s) URL, as written and as read. */
  private record Endpoint(String written, Host host) {
    static Endpoint parse(String url) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("is not a URL: " + e.getReason());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("must be an http:// or https:// URL");
      }
      // The host is read from the authority as written: java.net.URI gives no host for some that
      // Go reads as one (169.254.169.254. with its trailing dot).
      String authority = uri.getRawAuthority();
      if (authority == null || authority.isEmpty()) {
        throw new IllegalArgumentException("has no host");
      }
      if (authority.contains("@")) {
        throw new IllegalArgumentException("must not carry a user name or password");
      }
      String host = authority.startsWith("[") ? authority.substring(0, authority.indexOf(']') + 1) : PORT.matcher(authority).replaceFirst("");
      try {
        return new Endpoint(host, Host.parse(host));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("host " + SafeText.quote(host) + " " + e.getMessage());
      }
    }
  }

  /**
   * A Restore or Migrate writes into the targets of its namespace mapping, and into each included
   * namespace it does not map. Patterns and "every namespace" are not refused here: the planner
   * excludes the refused namespaces from such a restore.
   */
  private void checkTargets(ConfigResource owner, ResourceFilter filter, Map<String, String> mapping) {
    List<String> refused = guardrails.refusedTargetNamespaces();
    mapping.forEach((from, to) -> {
      if (refused.contains(to)) {
        report.accept(Diagnostic.error(owner.locate(SourceMap.child("/spec/policy/namespaceMapping", from)),
            "namespaceMapping target " + SafeText.quote(to) + " is a refused namespace" + guardrail(Guardrails.REFUSED_TARGET_NAMESPACES)));
      }
    });
    List<String> included = filter.includedNamespaces();
    for (int i = 0; i < included.size(); i++) {
      String namespace = included.get(i);
      if (refused.contains(namespace) && !mapping.containsKey(namespace)) {
        report.accept(Diagnostic.error(owner.locate("/spec/policy/resourceFilter/includedNamespaces/" + i),
            "included namespace " + SafeText.quote(namespace) + " would be restored in place, into a refused namespace;"
                + " map it to another one with namespaceMapping" + guardrail(Guardrails.REFUSED_TARGET_NAMESPACES)));
      }
    }
  }
}
