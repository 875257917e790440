package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;
import java.util.List;
import java.util.TreeSet;

/**
 * What the operator allows a policy, whoever merged it: a policy that crosses a guardrail fails
 * validation, naming the guardrail by its flag. The same guardrails are flags of validate, diff,
 * apply and run, so that a pull-request check holds a policy to the settings the deployment uses.
 *
 * @param allowedStorageHosts where storage endpoints may point; link-local and metadata hosts only
 *     when an entry other than {@code *} names them
 * @param refusedTargetNamespaces namespaces no Restore or Migrate may write into
 * @param allowedStorageConfigKeys the keys a Fleet may put into its BackupStorageLocation's config
 */
public record Guardrails(List<AllowedHost> allowedStorageHosts, List<String> refusedTargetNamespaces,
    List<String> allowedStorageConfigKeys) {

  public static final String ALLOWED_STORAGE_HOSTS = "--allowed-storage-hosts";
  public static final String REFUSED_TARGET_NAMESPACES = "--refused-target-namespaces";
  public static final String ALLOWED_STORAGE_CONFIG_KEYS = "--allowed-storage-config-keys";

  /** The cluster's own namespaces, and Velero's ({@code PlanSettings.DEFAULTS.namespace()}). */
  public static final List<String> DEFAULT_REFUSED_TARGET_NAMESPACES = List.of("kube-system", "kube-public", "kube-node-lease", "velero");

  /**
   * The object-store config keys of velero-plugin-for-aws v1.14 (which serves aws and huaweicloud
   * alike), with caCert, which Velero passes on. Left out: {@code credentialsFile} and
   * {@code customerKeyEncryptionFile}, which name a file inside the Velero pod for the plugin to
   * read (credentialsFile even as an AWS config file, whose credential_process runs a command), and
   * {@code bucket} and {@code prefix}, which Velero overwrites.
   */
  public static final List<String> AWS_PLUGIN_CONFIG_KEYS = List.of("caCert", "checksumAlgorithm", "customerKeyEncryptionSecret",
      "enableSharedConfig", "insecureSkipTLSVerify", "kmsKeyId", "profile", "publicUrl", "region", "s3ForcePathStyle", "s3Url",
      "serverSideEncryption", "signatureVersion", "tagging");

  public static final Guardrails DEFAULTS = new Guardrails(List.of(AllowedHost.ANY), DEFAULT_REFUSED_TARGET_NAMESPACES,
      AWS_PLUGIN_CONFIG_KEYS);

  public Guardrails {
    if (allowedStorageHosts.isEmpty()) {
      throw new IllegalArgumentException(ALLOWED_STORAGE_HOSTS + " needs at least one entry; * allows any host");
    }
    allowedStorageHosts = allowedStorageHosts.stream().distinct().toList();
    for (String namespace : refusedTargetNamespaces) {
      Names.namespaceProblem(namespace).ifPresent(p -> {
        throw new IllegalArgumentException(REFUSED_TARGET_NAMESPACES + ": namespace " + SafeText.quote(namespace) + " " + p);
      });
    }
    refusedTargetNamespaces = List.copyOf(new TreeSet<>(refusedTargetNamespaces));
    allowedStorageConfigKeys = List.copyOf(new TreeSet<>(allowedStorageConfigKeys));
  }
}
