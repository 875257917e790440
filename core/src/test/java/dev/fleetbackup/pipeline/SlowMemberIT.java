package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.testkit.FaultProxy;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members that answer slowly, a little at a time, without end or not at all, between fleet-backup
 * and a real API server ({@link FaultProxy}): each is cut off at the request's deadline or at its
 * budget for the pass, with the word for what happened, and the other members are diffed as if
 * it were not there.
 */
class SlowMemberIT {
  private static final String HEALTHY = "kurator-member1";
  private static final String SICK = "kurator-member2";
  private static final MemberClients.Limits LIMITS = new MemberClients.Limits(Duration.ofSeconds(2), Duration.ofSeconds(3), 64L << 20);

  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static FaultProxy proxy;
  static PolicySet policies;
  static CredentialSource credentials;

  @BeforeAll
  static void startAFleetWithAProxyBeforeMember2() throws Exception {
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(2));
    proxy = FaultProxy.in(fleet.member(SICK));
    backupsOfSomeoneElse(fleet.member(SICK), 40);
    Path kubeconfigs = Files.createDirectories(dir.resolve("kubeconfigs"));
    for (Member member : fleet.members()) {
      Path file = kubeconfigs.resolve(member.name() + ".config");
      if (member.name().equals(SICK)) {
        proxy.kubeconfig(member, file);
      } else {
        Files.copy(member.kubeconfig(), file);
      }
    }
    Path secrets = dir.resolve("secrets");
    FleetRepo.writeSecrets(secrets, fleet.s3());
    credentials = new KubeconfigDir(kubeconfigs, new LocalSecretsDir(secrets));
    Path repo = dir.resolve("repo");
    new FleetRepo(repo, fleet.s3()).clusters(2);
    ValidationReport report = new Validator().validate(new DirectoryReader(repo).read("test", ""));
    assertThat(report.valid()).as(report.summary()).isTrue();
    policies = report.policies();
  }

  /**
   * {@code count} Velero Backups, about 1 KiB each, that the observation lists: the member's
   * answer to that list is larger than the proxy lets through quickly.
   */
  private static void backupsOfSomeoneElse(Member member, int count) {
    fleet.installVeleroCrds(member);
    KubernetesClient client = member.client();
    // as fleet-backup applied it on an earlier pass: ours, so that the pass diffs the member
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero")
            .addToLabels("app.kubernetes.io/managed-by", "fleet-backup").endMetadata().build())
        .fieldManager("fleet-backup").forceConflicts().serverSideApply();
    List<String> namespaces = IntStream.range(0, 40).mapToObj(i -> "team-" + i).toList();
    for (int i = 0; i < count; i++) {
      client.genericKubernetesResources("velero.io/v1", "Backup").inNamespace("velero").resource(new GenericKubernetesResourceBuilder()
          .withApiVersion("velero.io/v1").withKind("Backup")
          .withNewMetadata().withName("nightly-" + i).withNamespace("velero").endMetadata()
          .addToAdditionalProperties("spec", Map.of("includedNamespaces", namespaces))
          .build()).create();
    }
  }

  @AfterEach
  void heal() {
    proxy.set(new FaultProxy.Pass());
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void throughAHealthyProxyAMemberIsDiffedLikeTheOthers() {
    PassOutcome pass = diff(LIMITS, Duration.ofMinutes(1));

    assertThat(pass.members()).allSatisfy(m -> assertThat(m.failure()).as(m.cluster()).isEmpty());
    assertThat(proxy.connections()).isPositive();
  }

  @Test
  void aMemberThatDripsItsAnswersIsCutOffAtTheRequestsDeadline() {
    // half a KiB every 200 ms: never idle long enough for the HTTP client's own timeout
    proxy.set(new FaultProxy.Drip(Duration.ofMillis(200), 512, 4 * 1024));

    PassOutcome pass = timed("drip", () -> diff(LIMITS, Duration.ofMinutes(1)));

    assertThat(pass.member(SICK).orElseThrow().failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.TIMED_OUT);
      assertThat(f.message()).startsWith("no answer in time from " + proxy.url() + "/: no complete answer to ").endsWith(" within 3 s");
    });
    assertOthersDiffed(pass);
  }

  @Test
  void aMemberSlowerThanItsBudgetIsCutOffThere() {
    // each request answered within its 3 s, but more of them than 2 s hold
    proxy.set(new FaultProxy.Latency(Duration.ofMillis(150)));

    PassOutcome pass = timed("latency", () -> diff(LIMITS, Duration.ofSeconds(2)));

    assertThat(pass.member(SICK).orElseThrow().failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.TIMED_OUT);
      assertThat(f.message()).contains("budget");
    });
    assertOthersDiffed(pass);
  }

  @Test
  void aMemberThatResetsItsConnectionsIsUnreachable() {
    proxy.set(new FaultProxy.Reset());

    PassOutcome pass = timed("reset", () -> diff(LIMITS, Duration.ofMinutes(1)));

    assertThat(pass.member(SICK).orElseThrow().failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.UNREACHABLE);
      assertThat(f.message()).startsWith("cannot reach " + proxy.url());
    });
    assertOthersDiffed(pass);
  }

  @Test
  void anAnswerLargerThanTheLimitFailsItsRequest() {
    // member 2's Backups are listed in one answer of about 40 KiB
    PassOutcome pass = timed("large", () -> diff(new MemberClients.Limits(Duration.ofSeconds(2), Duration.ofSeconds(3), 16 * 1024),
        Duration.ofMinutes(1)));

    assertThat(pass.member(SICK).orElseThrow().failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(MemberFailure.Reason.SERVER_ERROR);
      assertThat(f.message()).isEqualTo("cannot read from " + proxy.url() + "/: the answer to GET /apis/velero.io/v1/namespaces/velero/backups"
          + " is larger than 16384 bytes");
    });
    assertOthersDiffed(pass);
  }

  private static void assertOthersDiffed(PassOutcome pass) {
    assertThat(pass.members()).filteredOn(m -> !m.cluster().equals(SICK))
        .allSatisfy(m -> assertThat(m.failure()).as(m.cluster()).isEmpty())
        .extracting(PassOutcome.Member::cluster).contains(HEALTHY);
  }

  private static PassOutcome diff(MemberClients.Limits limits, Duration budget) {
    Pipeline pipeline = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS), new MemberClients(limits), budget,
        Clock.systemUTC());
    return pipeline.run(policies, new Pipeline.Request(credentials, Selection.ALL, new Pipeline.DiffOnly()));
  }

  private static PassOutcome timed(String fault, java.util.function.Supplier<PassOutcome> pass) {
    Instant start = Instant.now();
    PassOutcome outcome = pass.get();
    System.out.printf("MEASURE %s: pass took %d ms; %s%n", fault, Duration.between(start, Instant.now()).toMillis(),
        outcome.member(SICK).orElseThrow().failure().map(MemberFailure::message).orElse("no failure"));
    return outcome;
  }
}
