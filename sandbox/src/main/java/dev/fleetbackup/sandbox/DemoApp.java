package dev.fleetbackup.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The application the sandbox backs up, restores and migrates: namespace {@code shop} with a
 * Deployment, a Service, a ConfigMap and a Secret, all labelled {@code app: shop} as the policies
 * of sample-repo select them. (No kubelet runs here, so the Deployment never gets pods; its object
 * is what Velero moves.)
 */
final class DemoApp {
  static final String NAMESPACE = "shop";
  static final Map<String, String> LABELS = Map.of("app", "shop");

  private DemoApp() {}

  static void create(KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).withLabels(LABELS)
        .endMetadata().build()).serverSideApply();
    client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("shop-config").withLabels(LABELS).endMetadata()
        .withData(Map.of("currency", "EUR", "checkout.timeout", "30s")).build()).serverSideApply();
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("shop-db").withLabels(LABELS).endMetadata()
        .withStringData(Map.of("password", "sandbox-only")).build()).serverSideApply();
    client.services().inNamespace(NAMESPACE).resource(new ServiceBuilder()
        .withNewMetadata().withName("shop").withLabels(LABELS).endMetadata()
        .withNewSpec().withSelector(LABELS).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec()
        .build()).serverSideApply();
    client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
        .withNewMetadata().withName("shop").withLabels(LABELS).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(LABELS).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(LABELS).endMetadata()
        .withNewSpec().addNewContainer().withName("shop").withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate().endSpec().build()).serverSideApply();
  }

  /** Whether the application's objects are in a cluster, as after a restore or migration. */
  static boolean isPresent(KubernetesClient client) {
    return client.configMaps().inNamespace(NAMESPACE).withName("shop-config").get() != null
        && client.secrets().inNamespace(NAMESPACE).withName("shop-db").get() != null
        && client.apps().deployments().inNamespace(NAMESPACE).withName("shop").get() != null;
  }
}
