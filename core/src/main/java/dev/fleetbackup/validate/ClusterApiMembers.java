package dev.fleetbackup.validate;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.ClusterRef;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Kurator's cluster-api clusters as members: each Fleet member of {@code kind: Cluster} (or no kind)
 * joins the policies as the member it stands for, reached through the kubeconfig Secret
 * cluster-api writes for it ({@code <name>-kubeconfig}, key {@code value}, in the Fleet's
 * namespace), and is then planned, diffed, applied and reported like an AttachedCluster. Its name
 * is the cluster's name in the Velero objects, the status and the metrics, so it may not be an
 * AttachedCluster's nor another namespace's Cluster's.
 */
final class ClusterApiMembers {
  private ClusterApiMembers() {}

  /** {@code policies} with the Cluster members of its fleets; a name taken already is an error on the Fleet's line. */
  static PolicySet with(PolicySet policies, Consumer<Diagnostic> report) {
    Map<String, AttachedCluster> attached = new HashMap<>();
    policies.clusters().forEach(c -> attached.putIfAbsent(c.name(), c));
    Map<String, Member> members = new HashMap<>();
    for (Fleet fleet : policies.fleets()) {
      List<ClusterRef> refs = fleet.spec().clusters();
      String namespace = fleet.metadata().namespace();
      Set<String> listed = new HashSet<>();
      for (int i = 0; i < refs.size(); i++) {
        ClusterRef ref = refs.get(i);
        if (!ClusterRef.CLUSTER.equals(ref.effectiveKind()) || !listed.add(ref.name())) {
          continue;
        }
        SourceLocation at = fleet.locate("/spec/clusters/" + i + "/name");
        AttachedCluster same = attached.get(ref.name());
        Member other = members.get(ref.name());
        if (same != null) {
          report.accept(Diagnostic.error(at, "cluster " + SafeText.quote(ref.name()) + " of kind Cluster has the name of AttachedCluster "
              + SafeText.quote(same.id().qualifiedName()) + " at " + same.locate("/metadata/name") + ": cluster names are unique,"
              + " as fleet-backup names each cluster's Velero objects, status and metrics by it"));
        } else if (other != null && !other.cluster().metadata().namespace().equals(namespace)) {
          report.accept(Diagnostic.error(at, "cluster " + SafeText.quote(ref.name()) + " of kind Cluster has the name of Cluster "
              + SafeText.quote(other.cluster().id().qualifiedName()) + " at " + other.at() + ": cluster names are unique across"
              + " namespaces, as fleet-backup names each cluster's Velero objects, status and metrics by it"));
        } else if (other == null) {
          members.put(ref.name(), new Member(AttachedCluster.ofClusterApi(ref.name(), namespace, fleet.source()), at));
        }
      }
    }
    if (members.isEmpty()) {
      return policies;
    }
    List<AttachedCluster> clusters = new ArrayList<>(policies.clusters());
    members.values().forEach(m -> clusters.add(m.cluster()));
    return new PolicySet(policies.fleets(), clusters, policies.backups(), policies.restores(), policies.migrates());
  }

  private record Member(AttachedCluster cluster, SourceLocation at) {}
}
