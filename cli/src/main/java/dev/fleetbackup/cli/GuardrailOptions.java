package dev.fleetbackup.cli;

import dev.fleetbackup.validate.AllowedHost;
import dev.fleetbackup.validate.Guardrails;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The operator's guardrails, the same on validate, diff, apply and run, so that a pull-request
 * check holds policies to the settings the deployment runs with. Each flag takes a comma-separated
 * list and replaces its default; an empty value ({@code --refused-target-namespaces=}) is an empty list.
 */
final class GuardrailOptions {
  static final String DEFAULT_ALLOWED_STORAGE_HOSTS = "*";
  static final String DEFAULT_REFUSED_TARGET_NAMESPACES = "kube-system,kube-public,kube-node-lease,velero";
  static final String DEFAULT_ALLOWED_STORAGE_CONFIG_KEYS = "caCert,checksumAlgorithm,customerKeyEncryptionSecret,enableSharedConfig,"
      + "insecureSkipTLSVerify,kmsKeyId,profile,publicUrl,region,s3ForcePathStyle,s3Url,serverSideEncryption,signatureVersion,tagging";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = Guardrails.ALLOWED_STORAGE_HOSTS, paramLabel = "HOST", split = ",", defaultValue = DEFAULT_ALLOWED_STORAGE_HOSTS,
      description = {"Hosts a storage endpoint (and config s3Url, publicUrl) may point to: * (any), a name, *.domain, an IP address or "
          + "a network such as 10.0.0.0/8 (default: ${DEFAULT-VALUE}).",
          "Link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata services are refused unless an entry other than * names them."})
  List<String> allowedStorageHosts;

  @Option(names = Guardrails.REFUSED_TARGET_NAMESPACES, paramLabel = "NAMESPACE", split = ",",
      defaultValue = DEFAULT_REFUSED_TARGET_NAMESPACES,
      description = "Namespaces no Restore or Migrate may write into, mapped or in place; a restore of every namespace excludes them "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> refusedTargetNamespaces;

  @Option(names = Guardrails.ALLOWED_STORAGE_CONFIG_KEYS, paramLabel = "KEY", split = ",", defaultValue = DEFAULT_ALLOWED_STORAGE_CONFIG_KEYS,
      description = "Keys a Fleet may set in its BackupStorageLocation config (default: those of Velero's AWS plugin but credentialsFile and "
          + "customerKeyEncryptionFile, which name files in the Velero pod: ${DEFAULT-VALUE}).")
  List<String> allowedStorageConfigKeys;

  /** The flags as guardrails; a value that is no host, network or namespace name is a usage error. */
  Guardrails value() {
    try {
      return new Guardrails(entries(allowedStorageHosts).stream().map(GuardrailOptions::host).toList(), entries(refusedTargetNamespaces),
          entries(allowedStorageConfigKeys));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
  }

  private static AllowedHost host(String entry) {
    try {
      return AllowedHost.parse(entry);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Guardrails.ALLOWED_STORAGE_HOSTS + ": " + e.getMessage());
    }
  }

  private static List<String> entries(List<String> values) {
    return values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
  }
}
