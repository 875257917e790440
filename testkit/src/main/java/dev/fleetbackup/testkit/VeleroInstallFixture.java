package dev.fleetbackup.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * A Velero install shaped like the one {@code velero install} makes (namespace {@code velero},
 * ServiceAccount, ClusterRoleBinding to cluster-admin, Secret {@code cloud-credentials}, a
 * BackupStorageLocation, the {@code velero} Deployment with the AWS plugin init container), for
 * tests that need a running Velero before or without fleet-backup's own install rendering. With a
 * {@link VeleroNode} on the member, applying it starts a real {@code velero server}.
 *
 * <p>Objects are server-side applied with field manager {@value #FIELD_MANAGER}.
 */
public final class VeleroInstallFixture {
  public static final String NAMESPACE = "velero";
  public static final String FIELD_MANAGER = "fleet-backup-testkit";
  public static final String CREDENTIALS_SECRET = "cloud-credentials";

  private VeleroInstallFixture() {}

  /** Applies everything for a Velero server whose default BSL is {@code s3}'s bucket under {@code prefix}. */
  public static void installServer(KubernetesClient client, S3Server s3, String prefix, String veleroVersion, String awsPluginVersion) {
    installServer(client, s3, prefix, veleroVersion, awsPluginVersion, List.of());
  }

  /** As above, with extra {@code velero server} flags on the Deployment (e.g. {@code --backup-sync-period=5s}). */
  public static void installServer(
      KubernetesClient client, S3Server s3, String prefix, String veleroVersion, String awsPluginVersion,
      List<String> extraServerArgs) {
    apply(client, new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build());
    apply(client, new ServiceAccountBuilder().withNewMetadata().withName("velero").withNamespace(NAMESPACE).endMetadata().build());
    apply(
        client,
        new ClusterRoleBindingBuilder()
            .withNewMetadata().withName("velero").withLabels(Map.of("component", "velero")).endMetadata()
            .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
            .addNewSubject().withKind("ServiceAccount").withName("velero").withNamespace(NAMESPACE).endSubject()
            .build());
    apply(client, credentialsSecret(s3));
    apply(client, backupStorageLocation("default", s3, prefix, "ReadWrite", true));
    apply(client, deployment(veleroVersion, awsPluginVersion, extraServerArgs));
  }

  public static void apply(KubernetesClient client, HasMetadata object) {
    client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public static io.fabric8.kubernetes.api.model.Secret credentialsSecret(S3Server s3) {
    return new SecretBuilder()
        .withNewMetadata().withName(CREDENTIALS_SECRET).withNamespace(NAMESPACE)
        .withLabels(Map.of("component", "velero")).endMetadata()
        .withType("Opaque")
        .withStringData(Map.of("cloud", s3.awsCredentialsFile()))
        .build();
  }

  /** A BackupStorageLocation on the fleet's S3 server (path-style, fixed region, frequent validation and sync). */
  public static GenericKubernetesResource backupStorageLocation(
      String name, S3Server s3, String prefix, String accessMode, boolean isDefault) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("region", s3.region());
    config.put("s3ForcePathStyle", "true");
    config.put("s3Url", s3.endpoint().toString());
    config.put("checksumAlgorithm", "");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("provider", "aws");
    spec.put("objectStorage", Map.of("bucket", s3.bucket(), "prefix", prefix));
    spec.put("config", config);
    spec.put("accessMode", accessMode);
    spec.put("default", isDefault);
    spec.put("validationFrequency", "10s");
    spec.put("backupSyncPeriod", "5s");
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("velero.io/v1")
        .withKind("BackupStorageLocation")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE)
        .withLabels(Map.of("component", "velero")).endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  /** The {@code velero} Deployment as {@code velero install --plugins velero/velero-plugin-for-aws:…} renders it. */
  public static Deployment deployment(String veleroVersion, String awsPluginVersion) {
    return deployment(veleroVersion, awsPluginVersion, List.of());
  }

  public static Deployment deployment(String veleroVersion, String awsPluginVersion, List<String> extraServerArgs) {
    List<String> args = new ArrayList<>(List.of("server", "--uploader-type=kopia"));
    args.addAll(extraServerArgs);
    Map<String, String> labels = Map.of("component", "velero", "deploy", "velero");
    return new DeploymentBuilder()
        .withNewMetadata().withName("velero").withNamespace(NAMESPACE).withLabels(Map.of("component", "velero")).endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector().withMatchLabels(Map.of("deploy", "velero")).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withServiceAccountName("velero")
        .withRestartPolicy("Always")
        .addNewInitContainer()
        .withName("velero-velero-plugin-for-aws")
        .withImage("velero/velero-plugin-for-aws:" + awsPluginVersion)
        .addNewVolumeMount().withName("plugins").withMountPath("/target").endVolumeMount()
        .endInitContainer()
        .addNewContainer()
        .withName("velero")
        .withImage("velero/velero:" + veleroVersion)
        .withCommand("/velero")
        .withArgs(args)
        .addNewPort().withName("metrics").withContainerPort(8085).endPort()
        .addNewVolumeMount().withName("plugins").withMountPath("/plugins").endVolumeMount()
        .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
        .addNewVolumeMount().withName("cloud-credentials").withMountPath("/credentials").endVolumeMount()
        .addNewEnv().withName("VELERO_SCRATCH_DIR").withValue("/scratch").endEnv()
        .addNewEnv().withName("VELERO_NAMESPACE").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("LD_LIBRARY_PATH").withValue("/plugins").endEnv()
        .addNewEnv().withName("AWS_SHARED_CREDENTIALS_FILE").withValue("/credentials/cloud").endEnv()
        .endContainer()
        .addNewVolume().withName("plugins").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("cloud-credentials").withNewSecret().withSecretName(CREDENTIALS_SECRET).endSecret().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A CRD-installer Job like the Helm chart's {@code upgrade-crds} hook: {@code /velero install --crds-only --apply}. */
  public static Job crdInstallJob(String veleroVersion) {
    return new JobBuilder()
        .withNewMetadata().withName("velero-upgrade-crds").withNamespace(NAMESPACE).endMetadata()
        .withNewSpec()
        .withBackoffLimit(3)
        .withNewTemplate()
        .withNewSpec()
        .withServiceAccountName("velero")
        .withRestartPolicy("OnFailure")
        .addNewContainer()
        .withName("velero")
        .withImage("velero/velero:" + veleroVersion)
        .withCommand("/velero")
        .withArgs(List.of("install", "--crds-only", "--apply"))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
