package dev.fleetbackup.apply;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.diff.Inventory;
import dev.fleetbackup.plan.Conventions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Writes a member's inventory ConfigMap by server-side apply. */
final class InventoryWriter {
  private InventoryWriter() {}

  static void write(MemberConnection connection, Inventory inventory) {
    ConfigMap configMap = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(Inventory.REF.name())
        .withNamespace(Inventory.REF.namespace())
        .addToLabels(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE)
        .endMetadata()
        .addToData(Inventory.DATA_KEY, inventory.toJson())
        .build();
    GenericKubernetesResource manifest = connection.client().getKubernetesSerialization()
        .convertValue(configMap, GenericKubernetesResource.class);
    connection.resource(Inventory.REF, manifest).fieldManager(Conventions.FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
