package dev.fleetbackup.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InventoryTest {
  @Test
  void roundTripsThroughItsJsonForm() throws Exception {
    Inventory inventory = Inventory.of(List.of(
        new InventoryEntry(new ObjectRef(ManagedKind.DEPLOYMENT, "velero", "velero"), Optional.empty()),
        new InventoryEntry(ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE_BINDING, "velero"), Optional.empty()),
        new InventoryEntry(new ObjectRef(ManagedKind.BACKUP, "velero", "m1-backup-default-x-2"),
            Optional.of(new InventoryEntry.RunRecord("m1-backup-default-x", 2, "0123456789abcdef")))));
    Inventory parsed = Inventory.parse(inventory.toJson());
    assertThat(parsed).isEqualTo(inventory);
    assertThat(parsed.entries()).extracting(e -> e.ref().toString())
        .containsExactly("ClusterRoleBinding/velero", "Deployment/velero/velero", "Backup/velero/m1-backup-default-x-2");
  }

  @Test
  void keepsEntriesOfKindsItDoesNotKnow() throws Exception {
    String json = "{\"version\":1,\"objects\":[{\"group\":\"velero.io\",\"kind\":\"DownloadRequest\",\"namespace\":\"velero\",\"name\":\"logs\"}]}";
    Inventory parsed = Inventory.parse(json);
    assertThat(parsed.entries()).isEmpty();
    assertThat(parsed.size()).isEqualTo(1);
    assertThat(parsed.toJson()).contains("DownloadRequest");
  }

  @Test
  void aDamagedInventoryIsAnErrorNotAnEmptyInventory() {
    assertThatThrownBy(() -> Inventory.parse("{oops")).isInstanceOf(Inventory.InventoryException.class);
    assertThatThrownBy(() -> Inventory.parse("{\"version\":7}")).isInstanceOf(Inventory.InventoryException.class);
  }
}
