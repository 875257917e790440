package dev.fleetbackup.workflows;

import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroServer;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.LiveObjects;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.ObservedRun;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.PastRun;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fake observed state for the workflow tests: members holding Backups, Restores, Schedules and
 * locations as a Velero server would leave them. Also the sample repo plus a restore of its
 * nightly schedule, as policies.
 */
final class Observations {
  static final String M1 = "kurator-member1";
  static final String M2 = "kurator-member2";
  static final String M3 = "kurator-member3";

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Map<String, MemberFailure> failures = new HashMap<>();

  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  Member member(String cluster) {
    return members.computeIfAbsent(cluster, Member::new);
  }

  Observations unreachable(String cluster, String why) {
    members.remove(cluster);
    failures.put(cluster, new MemberFailure(MemberFailure.Reason.UNREACHABLE, why));
    return this;
  }

  FleetObservation fleet() {
    Map<String, MemberObservation> out = new HashMap<>();
    members.forEach((name, m) -> out.put(name, m.build()));
    return new FleetObservation(out, failures);
  }

  static final class Member {
    private final String cluster;
    private final List<ObservedRun> backups = new ArrayList<>();
    private final List<ObservedRun> restores = new ArrayList<>();
    private final List<VeleroSchedule> schedules = new ArrayList<>();
    private final List<VeleroLocation> locations = new ArrayList<>();
    private final List<PastRun> gone = new ArrayList<>();

    Member(String cluster) {
      this.cluster = cluster;
      location("default", "Available", null);
    }

    /** A Backup fleet-backup created as run {@code number} of {@code base}. */
    Member backup(String base, int number, String hash, VeleroPhase phase, Instant created) {
      String name = number == 1 ? base : base + "-" + number;
      backups.add(run(name, Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE),
          Map.of(Conventions.RUN, base, Conventions.RUN_NUMBER, Integer.toString(number), Conventions.SPEC_HASH, hash),
          phase, created, "default", ""));
      return this;
    }

    /** A Backup this member's Velero synced from another prefix, as it was in its own cluster. */
    Member synced(String name, String location, VeleroPhase phase, Instant created) {
      backups.add(run(name, Map.of("velero.io/storage-location", location), Map.of(Conventions.RUN, name), phase, created, location, ""));
      return this;
    }

    /** A run of a Velero Schedule, named as Velero names them. */
    Member scheduleRun(String schedule, String stamp, VeleroPhase phase, Instant started) {
      backups.add(run(schedule + "-" + stamp, Map.of(MemberObservation.SCHEDULE_NAME, schedule), Map.of(), phase, started, "default", ""));
      return this;
    }

    /** A run of a schedule whose TTL ran out at {@code expired}, which Velero has not collected yet. */
    Member expiredScheduleRun(String schedule, String stamp, Instant started, Instant expired) {
      ObservedRun run = run(schedule + "-" + stamp, Map.of(MemberObservation.SCHEDULE_NAME, schedule), Map.of(),
          VeleroPhase.COMPLETED, started, "default", "");
      VeleroRun v = run.run();
      backups.add(new ObservedRun(run.name(), run.labels(), run.annotations(), run.created(), new VeleroRun(v.cluster(), v.name(),
          v.phase(), v.started(), v.completed(), Optional.of(expired), v.totalItems(), v.itemsDone(), v.errors(), v.warnings(),
          v.failureReason(), v.validationErrors()), run.storageLocation(), run.backupName()));
      return this;
    }

    Member restore(String base, String backupName, VeleroPhase phase, Instant created) {
      restores.add(run(base, Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE), Map.of(Conventions.RUN, base, Conventions.RUN_NUMBER, "1", Conventions.SPEC_HASH, "h"),
          phase, created, "", backupName));
      return this;
    }

    /** A run the member's inventory remembers and the member no longer has. */
    Member gone(ManagedKind kind, String base, int number, String hash) {
      gone.add(new PastRun(kind, number == 1 ? base : base + "-" + number, base, number, hash, false, VeleroPhase.UNKNOWN));
      return this;
    }

    Member schedule(String name, String cron, String phase, Instant created) {
      schedules.add(new VeleroSchedule(new VeleroMeta(name, "velero", Map.of(), Map.of(), Optional.of(created)),
          new VeleroSchedule.Spec(cron, VeleroBackup.Spec.EMPTY, Optional.empty(), Optional.empty(), Optional.empty()), new VeleroSchedule.Status(phase, Optional.empty(), List.of())));
      return this;
    }

    Member location(String name, String phase, String message) {
      locations.removeIf(l -> l.name().equals(name));
      locations.add(new VeleroLocation(VeleroMeta.of(name, "velero", Map.of(), Map.of()),
          new VeleroLocation.Spec("aws", null, null, null, null, null, null, null),
          new VeleroLocation.Status(phase, Optional.ofNullable(message), Optional.empty(), Optional.empty())));
      return this;
    }

    private ObservedRun run(String name, Map<String, String> labels, Map<String, String> annotations, VeleroPhase phase,
        Instant created, String location, String backupName) {
      boolean finished = phase.isFinished();
      VeleroRun run = new VeleroRun(cluster, name, phase, Optional.of(created.plusSeconds(1)),
          finished ? Optional.of(created.plusSeconds(30)) : Optional.empty(), Optional.empty(), 10, finished ? 10 : 4,
          phase == VeleroPhase.PARTIALLY_FAILED ? 2 : 0, 0,
          phase == VeleroPhase.FAILED ? Optional.of("upload failed: the bucket is gone") : Optional.empty(),
          phase == VeleroPhase.FAILED_VALIDATION ? List.of("location default is Unavailable") : List.of());
      return new ObservedRun(name, labels, annotations, Optional.of(created), run, location, backupName);
    }

    /** As the Observer reads it: the runs fleet-backup made (labelled, with a run identity) are its history too. */
    MemberObservation build() {
      List<PastRun> history = new ArrayList<>(gone);
      backups.forEach(b -> past(ManagedKind.BACKUP, b).ifPresent(history::add));
      restores.forEach(r -> past(ManagedKind.RESTORE, r).ifPresent(history::add));
      return new MemberObservation(cluster, backups, restores, schedules, locations,
          new VeleroServer(true, true, Optional.of("v1.18.1")), LiveObjects.NONE, history);
    }

    private static Optional<PastRun> past(ManagedKind kind, ObservedRun run) {
      if (!Conventions.MANAGED_BY_VALUE.equals(run.labels().get(Conventions.MANAGED_BY)) || run.runBase().isEmpty()
          || run.specHash().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new PastRun(kind, run.name(), run.runBase().get(), run.runNumber(), run.specHash().get(), true,
          run.run().phase()));
    }
  }

  /** The sample repo, plus {@code restores/nightly-restore.yaml}: a restore of the nightly schedule on member1. */
  static PolicySet samplePolicies(Path dir) {
    return samplePolicies(dir, nightly -> nightly);
  }

  /** The sample policies with backups/nightly.yaml as {@code nightly} makes it of the sample's. */
  static PolicySet samplePolicies(Path dir, java.util.function.UnaryOperator<String> nightly) {
    try {
      Path repo = dir.resolve("repo");
      try (Stream<Path> files = Files.walk(Path.of("sample-repo"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path target = repo.resolve(Path.of("sample-repo").relativize(f).toString());
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
      Files.writeString(repo.resolve("restores/nightly-restore.yaml"), """
          apiVersion: backup.kurator.dev/v1alpha1
          kind: Restore
          metadata:
            name: nightly-restore
            namespace: default
          spec:
            backupName: nightly
            destination:
              fleet: quickstart
              clusters:
                - {kind: AttachedCluster, name: kurator-member1}
            policy:
              resourceFilter:
                includedNamespaces: [shop]
              namespaceMapping:
                shop: shop-restored
              preserveStatus:
                includedResources: [deployments]
              preserveNodePorts: true
          """);
      Path file = repo.resolve("backups/nightly.yaml");
      Files.writeString(file, nightly.apply(Files.readString(file)));
      ValidationReport report = new Validator().validate(new DirectoryReader(repo).read("test", ""));
      if (!report.valid()) {
        throw new IllegalStateException("fixture repo is invalid: " + report.diagnostics());
      }
      return report.policies();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
