package dev.fleetbackup.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Every object of a valid config repo, sorted by identity, with the lookups the later stages need. */
public record PolicySet(List<Fleet> fleets, List<AttachedCluster> clusters, List<Backup> backups,
    List<Restore> restores, List<Migrate> migrates) {

  public static final PolicySet EMPTY = new PolicySet(List.of(), List.of(), List.of(), List.of(), List.of());

  public PolicySet {
    fleets = sorted(fleets);
    clusters = sorted(clusters);
    backups = sorted(backups);
    restores = sorted(restores);
    migrates = sorted(migrates);
  }

  public static PolicySet of(List<? extends ConfigResource> resources) {
    return new PolicySet(
        ofType(resources, Fleet.class), ofType(resources, AttachedCluster.class), ofType(resources, Backup.class),
        ofType(resources, Restore.class), ofType(resources, Migrate.class));
  }

  public Stream<ConfigResource> all() {
    return Stream.of(fleets, clusters, backups, restores, migrates).flatMap(List::stream);
  }

  public int size() {
    return fleets.size() + clusters.size() + backups.size() + restores.size() + migrates.size();
  }

  public Optional<Fleet> fleet(String namespace, String name) {
    return find(fleets, namespace, name);
  }

  public Optional<AttachedCluster> attachedCluster(String namespace, String name) {
    return find(clusters, namespace, name);
  }

  public Optional<Backup> backup(String namespace, String name) {
    return find(backups, namespace, name);
  }

  /** The clusters a destination selects: its own list, or every cluster of its fleet when it names none. */
  public List<String> clustersOf(Destination destination, String namespace) {
    if (!destination.clusters().isEmpty()) {
      return destination.clusterNames();
    }
    return fleet(namespace, destination.fleet()).map(Fleet::clusterNames).orElse(List.of());
  }

  private static <T extends ConfigResource> Optional<T> find(List<T> items, String namespace, String name) {
    return items.stream()
        .filter(r -> r.metadata().namespace().equals(namespace) && r.metadata().name().equals(name))
        .findFirst();
  }

  private static <T extends ConfigResource> List<T> ofType(List<? extends ConfigResource> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends ConfigResource> List<T> sorted(List<T> items) {
    return items.stream().sorted(Comparator.comparing(ConfigResource::id)).toList();
  }
}
