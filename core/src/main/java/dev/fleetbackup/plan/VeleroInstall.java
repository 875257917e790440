package dev.fleetbackup.plan;

import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroSnapshotLocation;
import dev.fleetbackup.model.VeleroValues;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Velero install of one member, as {@code velero install} and the Velero Helm chart make it:
 * namespace, the CRD-installer Job with its ServiceAccount and RBAC, the server's ServiceAccount
 * and ClusterRoleBinding, the credentials Secret, Deployment {@code velero}, DaemonSet
 * {@code node-agent} (unless the chart values say {@code deployNodeAgent: false}), and the storage
 * locations, with the chart values a Fleet sets (see {@link InstallValues}).
 */
final class VeleroInstall {
  static final String SERVER = "velero";
  static final String CRD_INSTALLER = "velero-upgrade-crds";
  static final String NODE_AGENT = "node-agent";
  private static final String CREDENTIALS_VOLUME = "cloud-credentials";
  private static final String CREDENTIALS_KEY = "cloud";
  /** The server's requests and limits unless the chart values set {@code resources}, which replace them (as in the chart). */
  static final VeleroValues.Resources DEFAULT_SERVER_RESOURCES = new VeleroValues.Resources(
      Map.of("cpu", "500m", "memory", "128Mi"), Map.of("cpu", "1", "memory", "512Mi"));

  private final PlanSettings settings;

  VeleroInstall(PlanSettings settings) {
    this.settings = settings;
  }

  /** Kurator's Secret name: {@code <fleet>-velero-obs} for huaweicloud, {@code <fleet>-velero-s3} otherwise. */
  static String credentialsSecretName(String fleet, Fleet.Location location) {
    return Names.fit(fleet + ("huaweicloud".equals(location.provider()) ? "-velero-obs" : "-velero-s3"));
  }

  static ObjectRef credentialsSecretRef(String namespace, String fleet, Fleet.Location location) {
    return new ObjectRef(ManagedKind.SECRET, namespace, credentialsSecretName(fleet, location));
  }

  List<DesiredObject> render(String cluster, String fleet, Fleet.BackupConfig backup) {
    String ns = settings.namespace();
    Map<String, String> labels = labels(fleet);
    Fleet.Location location = backup.storage().location();
    String secretName = credentialsSecretName(fleet, location);
    InstallValues values = InstallValues.of(settings, backup);
    List<DesiredObject> out = new ArrayList<>();

    out.add(reconciled(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, ns), Manifests.of(new NamespaceBuilder()
        .withMetadata(meta(ns, null, labels)).build())));

    // The CRD installer (the Helm chart's upgrade-crds hook): may manage CRDs, nothing else.
    out.add(reconciled(new ObjectRef(ManagedKind.SERVICE_ACCOUNT, ns, CRD_INSTALLER), Manifests.of(new ServiceAccountBuilder()
        .withMetadata(meta(CRD_INSTALLER, ns, labels)).build())));
    out.add(reconciled(ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, CRD_INSTALLER), Manifests.of(new ClusterRoleBuilder()
        .withMetadata(meta(CRD_INSTALLER, null, labels))
        .withRules(new PolicyRuleBuilder()
            .withApiGroups("apiextensions.k8s.io")
            .withResources("customresourcedefinitions")
            .withVerbs("get", "list", "watch", "create", "update", "patch")
            .build())
        .build())));
    out.add(reconciled(ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE_BINDING, CRD_INSTALLER), Manifests.of(new ClusterRoleBindingBuilder()
        .withMetadata(meta(CRD_INSTALLER, null, labels))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", CRD_INSTALLER)
        .addNewSubject().withKind("ServiceAccount").withName(CRD_INSTALLER).withNamespace(ns).endSubject()
        .build())));
    out.add(crdJob(ns, labels, values));

    // The server, as `velero install` makes it: cluster-admin through ClusterRoleBinding "velero".
    out.add(reconciled(new ObjectRef(ManagedKind.SERVICE_ACCOUNT, ns, SERVER), Manifests.of(new ServiceAccountBuilder()
        .withMetadata(meta(SERVER, ns, labels)).build())));
    out.add(reconciled(ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE_BINDING, SERVER), Manifests.of(new ClusterRoleBindingBuilder()
        .withMetadata(meta(SERVER, null, labels))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
        .addNewSubject().withKind("ServiceAccount").withName(SERVER).withNamespace(ns).endSubject()
        .build())));
    out.add(deployment(ns, labels, secretName, values));
    if (values.chart().nodeAgentDeployed()) {
      out.add(nodeAgent(ns, labels, secretName, values));
    }
    out.add(location(ns, labels, Conventions.DEFAULT_LOCATION, location, cluster, true, Optional.empty()));
    if (values.chart().snapshots()) {
      out.add(snapshotLocation(ns, labels, location));
    }
    return out;
  }

  /** The credentials Secret, key {@code cloud} in AWS shared-credentials format. */
  DesiredObject credentialsSecret(String fleet, Fleet.Location location, StorageCredentials credentials) {
    String ns = settings.namespace();
    String name = credentialsSecretName(fleet, location);
    String cloud = Base64.getEncoder().encodeToString(
        credentials.awsSharedCredentialsFile().reveal().getBytes(StandardCharsets.UTF_8));
    return reconciled(new ObjectRef(ManagedKind.SECRET, ns, name), Manifests.of(new SecretBuilder()
        .withMetadata(meta(name, ns, labels(fleet)))
        .withType("Opaque")
        .addToData(CREDENTIALS_KEY, cloud)
        .build()));
  }

  /**
   * A read-only location on another member's prefix, so that this member's Velero syncs that
   * member's backups (migration). Its credentials are the Secret of the fleet that owns the bucket.
   */
  DesiredObject readOnlyLocation(String fleet, Fleet.Location location, String sourceCluster) {
    String ns = settings.namespace();
    return location(ns, labels(fleet), readOnlyLocationName(sourceCluster), location, sourceCluster, false,
        Optional.of(credentialsSecretName(fleet, location)));
  }

  static String readOnlyLocationName(String sourceCluster) {
    return Names.fit("readonly-" + sourceCluster);
  }

  private DesiredObject location(String ns, Map<String, String> labels, String name, Fleet.Location location,
      String prefix, boolean readWrite, Optional<String> credentialSecret) {
    ObjectRef ref = new ObjectRef(ManagedKind.BACKUP_STORAGE_LOCATION, ns, name);
    Map<String, String> config = new LinkedHashMap<>(location.config());
    config.put("s3Url", location.endpoint());
    if (!location.region().isEmpty()) {
      config.put("region", location.region());
    }
    config.put("s3ForcePathStyle", "true");
    VeleroLocation.Spec spec = new VeleroLocation.Spec(
        "aws", // the S3 API, also for huaweicloud OBS, as Kurator does
        new VeleroLocation.ObjectStorage(location.bucket(), prefix, Optional.empty()),
        config,
        credentialSecret.map(secret -> new VeleroLocation.Credential(secret, CREDENTIALS_KEY)),
        Optional.of(readWrite),
        Optional.of(readWrite ? "ReadWrite" : "ReadOnly"),
        Optional.of(settings.validationFrequency()),
        Optional.of(settings.backupSyncPeriod()));
    return reconciled(ref, VeleroCodec.encode(new VeleroLocation(VeleroMeta.of(name, ns, labels, Map.of()), spec, null)));
  }

  /**
   * The member's VolumeSnapshotLocation {@code default}, on the fleet's storage as the backup
   * location is: the AWS plugin's volume snapshotter, in the location's region, with the server's
   * credentials file (the fleet's Secret).
   */
  private static DesiredObject snapshotLocation(String ns, Map<String, String> labels, Fleet.Location location) {
    VeleroSnapshotLocation snapshots = new VeleroSnapshotLocation(VeleroMeta.of(Conventions.DEFAULT_LOCATION, ns, labels, Map.of()),
        new VeleroSnapshotLocation.Spec("aws", Map.of("region", location.region())));
    return reconciled(new ObjectRef(ManagedKind.VOLUME_SNAPSHOT_LOCATION, ns, Conventions.DEFAULT_LOCATION), VeleroCodec.encode(snapshots));
  }

  private DesiredObject crdJob(String ns, Map<String, String> labels, InstallValues values) {
    ObjectNode manifest = Manifests.of(new JobBuilder()
        .withMetadata(meta(CRD_INSTALLER, ns, labels))
        .withNewSpec()
        .withBackoffLimit(3)
        .withNewTemplate()
        .withNewMetadata().withLabels(Map.of("component", "velero")).endMetadata()
        .withNewSpec()
        .withServiceAccountName(CRD_INSTALLER)
        .withRestartPolicy("OnFailure")
        .withContainers(new ContainerBuilder()
            .withName("velero")
            .withImage(values.veleroImage())
            .withImagePullPolicy(values.pullPolicy())
            .withCommand("/velero")
            .withArgs("install", "--crds-only", "--apply")
            .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build());
    String hash = Manifests.hash(manifest.path("spec"));
    manifest.withObject("/metadata").withObject("annotations").put(Conventions.SPEC_HASH, hash);
    return new DesiredObject(new ObjectRef(ManagedKind.JOB, ns, CRD_INSTALLER), manifest,
        Optional.of(new Run(CRD_INSTALLER, hash, Optional.empty())));
  }

  private DesiredObject deployment(String ns, Map<String, String> labels, String secretName, InstallValues values) {
    VeleroValues chart = values.chart();
    Map<String, String> podLabels = new TreeMap<>(chart.podLabels());
    podLabels.putAll(Map.of("component", "velero", "deploy", SERVER));
    Map<String, String> podAnnotations = ordered("prometheus.io/scrape", "true", "prometheus.io/port", "8085", "prometheus.io/path", "/metrics");
    podAnnotations.putAll(chart.podAnnotations());
    return reconciled(new ObjectRef(ManagedKind.DEPLOYMENT, ns, SERVER), Manifests.of(new DeploymentBuilder()
        .withMetadata(meta(SERVER, ns, labels))
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector().withMatchLabels(Map.of("deploy", SERVER)).endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(SERVER)
        .withRestartPolicy("Always")
        .withPriorityClassName(chart.priorityClassName().orElse(null))
        .withNodeSelector(chart.nodeSelector().isEmpty() ? null : chart.nodeSelector())
        .withTolerations(tolerations(chart.tolerations()))
        .withAffinity(affinity(chart.affinity()))
        .withInitContainers(values.pluginContainers().stream().map(VeleroInstall::pluginContainer).toList())
        .withContainers(new ContainerBuilder()
            .withName(SERVER)
            .withImage(values.veleroImage())
            .withImagePullPolicy(values.pullPolicy())
            .withCommand("/velero")
            .withArgs(values.serverArgs())
            // the protocol is the server's default and part of the port's key (see fieldRef below)
            .addNewPort().withName("metrics").withContainerPort(8085).withProtocol("TCP").endPort()
            .withResources(resources(chart.resources().orElse(DEFAULT_SERVER_RESOURCES)))
            .withVolumeMounts(
                new VolumeMountBuilder().withName("plugins").withMountPath("/plugins").build(),
                new VolumeMountBuilder().withName("scratch").withMountPath("/scratch").build(),
                new VolumeMountBuilder().withName(CREDENTIALS_VOLUME).withMountPath("/credentials").build())
            .withEnv(
                env("VELERO_SCRATCH_DIR", "/scratch"),
                fieldEnv("VELERO_NAMESPACE", "metadata.namespace"),
                env("LD_LIBRARY_PATH", "/plugins"),
                env("AWS_SHARED_CREDENTIALS_FILE", "/credentials/" + CREDENTIALS_KEY))
            .build())
        .withVolumes(
            new VolumeBuilder().withName("plugins").withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName(CREDENTIALS_VOLUME).withNewSecret().withSecretName(secretName).endSecret().build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build()));
  }

  private DesiredObject nodeAgent(String ns, Map<String, String> labels, String secretName, InstallValues values) {
    VeleroValues.NodeAgent agent = values.chart().nodeAgentValues();
    Map<String, String> daemonSetLabels = new LinkedHashMap<>(agent.labels());
    daemonSetLabels.putAll(labels);
    Map<String, String> podLabels = new TreeMap<>(agent.podLabels());
    podLabels.putAll(Map.of("component", "velero", "name", NODE_AGENT, "role", NODE_AGENT));
    return reconciled(new ObjectRef(ManagedKind.DAEMON_SET, ns, NODE_AGENT), Manifests.of(new DaemonSetBuilder()
        .withMetadata(meta(NODE_AGENT, ns, daemonSetLabels))
        .withNewSpec()
        .withNewSelector().withMatchLabels(Map.of("name", NODE_AGENT)).endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(agent.annotations().isEmpty() ? null : new TreeMap<>(agent.annotations()))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(SERVER)
        .withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
        .withPriorityClassName(agent.priorityClassName().orElse(null))
        .withNodeSelector(agent.nodeSelector().isEmpty() ? null : agent.nodeSelector())
        .withTolerations(tolerations(agent.tolerations()))
        .withAffinity(affinity(agent.affinity()))
        .withContainers(new ContainerBuilder()
            .withName(NODE_AGENT)
            .withImage(values.veleroImage())
            .withImagePullPolicy(values.pullPolicy())
            .withCommand("/velero")
            .withArgs(values.nodeAgentArgs())
            .withResources(agent.resources().map(VeleroInstall::resources).orElse(null))
            .withVolumeMounts(
                new VolumeMountBuilder().withName("host-pods").withMountPath("/host_pods").withMountPropagation("HostToContainer").build(),
                new VolumeMountBuilder().withName("host-plugins").withMountPath("/var/lib/kubelet/plugins").withMountPropagation("HostToContainer").build(),
                new VolumeMountBuilder().withName("scratch").withMountPath("/scratch").build(),
                new VolumeMountBuilder().withName(CREDENTIALS_VOLUME).withMountPath("/credentials").build())
            .withEnv(
                fieldEnv("NODE_NAME", "spec.nodeName"),
                fieldEnv("VELERO_NAMESPACE", "metadata.namespace"),
                env("VELERO_SCRATCH_DIR", "/scratch"),
                env("AWS_SHARED_CREDENTIALS_FILE", "/credentials/" + CREDENTIALS_KEY))
            .build())
        .withVolumes(
            new VolumeBuilder().withName("host-pods").withNewHostPath().withPath("/var/lib/kubelet/pods").endHostPath().build(),
            new VolumeBuilder().withName("host-plugins").withNewHostPath().withPath("/var/lib/kubelet/plugins").endHostPath().build(),
            new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName(CREDENTIALS_VOLUME).withNewSecret().withSecretName(secretName).endSecret().build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build()));
  }

  private static Container pluginContainer(VeleroValues.PluginContainer plugin) {
    return new ContainerBuilder()
        .withName(plugin.name())
        .withImage(plugin.image())
        .withImagePullPolicy(plugin.imagePullPolicy().orElse("IfNotPresent"))
        .withResources(plugin.resources().map(VeleroInstall::resources).orElse(null))
        .withVolumeMounts(new VolumeMountBuilder().withName("plugins").withMountPath("/target").build())
        .build();
  }

  private static ResourceRequirements resources(VeleroValues.Resources resources) {
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(resources.requests()))
        .withLimits(quantities(resources.limits()))
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    if (values.isEmpty()) {
      return null;
    }
    Map<String, Quantity> out = new TreeMap<>();
    values.forEach((name, value) -> out.put(name, new Quantity(value)));
    return out;
  }

  private static List<Toleration> tolerations(List<VeleroValues.Toleration> tolerations) {
    return tolerations.stream().map(t -> new TolerationBuilder()
        .withKey(t.key().orElse(null))
        .withOperator(t.operator().orElse(null))
        .withValue(t.value().orElse(null))
        .withEffect(t.effect().orElse(null))
        .withTolerationSeconds(t.tolerationSeconds().orElse(null))
        .build()).toList();
  }

  /** The schema has checked the tree field for field against Kubernetes' Affinity. */
  private static Affinity affinity(Map<String, Object> affinity) {
    return affinity.isEmpty() ? null : Manifests.convert(affinity, Affinity.class);
  }

  static Map<String, String> labels(String fleet) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("component", "velero");
    labels.put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE);
    labels.put(Conventions.FLEET_NAME, Names.fit(fleet));
    labels.put(Conventions.PLUGIN, Conventions.PLUGIN_BACKUP);
    return labels;
  }

  private static DesiredObject reconciled(ObjectRef ref, ObjectNode manifest) {
    return DesiredObject.reconciled(ref, manifest);
  }

  private static ObjectMeta meta(String name, String namespace, Map<String, String> labels) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldEnv(String name, String path) {
    // apiVersion is the server's default, and a fieldRef is one value to server-side apply: written out,
    // a workload the member holds as planned reads so without a dry run
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path)
        .endFieldRef().endValueFrom().build();
  }

  private static Map<String, String> ordered(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
