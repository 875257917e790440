package dev.fleetbackup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The product's shape, as the README's "How it is built" describes it, kept true by a test. The
 * modules keep the test kit, the sandbox and the command line out of the product at compile time;
 * within it, each stage depends only on the stages the table allows.
 */
class ArchitectureTest {
  /** The product's classes only, wherever the build put them (the build dir can be chosen). */
  private static final JavaClasses PRODUCT = new ClassFileImporter().importPath(productClasses());

  /** Each stage and the stages it may use (besides itself and the JDK); libraries are checked apart. */
  private static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

  static {
    MAY_USE.put("model", List.of());
    MAY_USE.put("source", List.of("model"));
    MAY_USE.put("validate", List.of("model", "source"));
    MAY_USE.put("plan", List.of("model", "validate"));
    MAY_USE.put("cluster", List.of("model", "plan"));
    MAY_USE.put("observe", List.of("model", "plan", "cluster"));
    MAY_USE.put("workflows", List.of("model", "validate", "plan", "observe"));
    MAY_USE.put("diff", List.of("model", "plan", "cluster", "observe"));
    MAY_USE.put("apply", List.of("model", "plan", "cluster", "observe", "diff"));
    MAY_USE.put("report", List.of("model"));
    MAY_USE.put("shard", List.of());
    MAY_USE.put("ops", List.of("model", "validate", "report", "shard"));
    MAY_USE.put("notify", List.of("model", "report"));
    MAY_USE.put("pipeline", List.of("model", "source", "validate", "plan", "cluster", "observe", "workflows", "diff", "apply",
        "report"));
    MAY_USE.put("controller", List.of("model", "source", "validate", "cluster", "apply", "report", "shard", "ops", "notify",
        "pipeline"));
  }

  private static Path productClasses() {
    try {
      return Path.of(dev.fleetbackup.model.Kind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void modelDependsOnNoFrameworkAndNoOtherStage() {
    classes().that().resideInAPackage("dev.fleetbackup.model..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.fleetbackup.model..", "java..")
        .check(PRODUCT);
  }

  @Test
  void eachStageUsesOnlyTheStagesBeforeIt() {
    MAY_USE.forEach((stage, allowed) -> {
      List<String> others = new ArrayList<>(MAY_USE.keySet());
      others.remove(stage);
      others.removeAll(allowed);
      if (!others.isEmpty()) {
        noClasses().that().resideInAPackage("dev.fleetbackup." + stage + "..")
            .should().dependOnClassesThat().resideInAnyPackage(others.stream().map(o -> "dev.fleetbackup." + o + "..").toArray(String[]::new))
            .because("the README's table says what " + stage + " may use")
            .check(PRODUCT);
      }
    });
  }

  @Test
  void everyProductClassIsInAStageOfTheTable() {
    classes().should().resideInAnyPackage(MAY_USE.keySet().stream().map(s -> "dev.fleetbackup." + s + "..").toArray(String[]::new))
        .check(PRODUCT);
  }

  @Test
  void onlySourceUsesJGit() {
    noClasses().that().resideOutsideOfPackage("dev.fleetbackup.source..")
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
        .check(PRODUCT);
  }

  @Test
  void aPassReachesAMemberOnlyThroughTheClusterEdge() {
    noClasses().that().resideOutsideOfPackages("dev.fleetbackup.cluster..", "dev.fleetbackup.ops..", "dev.fleetbackup.controller..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client", "io.fabric8.kubernetes.client.dsl..")
        .orShould().dependOnClassesThat().haveSimpleNameStartingWith("GenericKubernetesResource")
        .because("a pass asks a member through cluster.MemberConnection (ops and controller talk to the management cluster)")
        .check(PRODUCT);
    noClasses().that().resideInAPackage("dev.fleetbackup.cluster..")
        .and().doNotHaveSimpleName("RequestCounter").and().doNotHaveSimpleName("InClusterSecrets")
        .and().haveNameNotMatching("dev\\.fleetbackup\\.cluster\\.(Fabric8Connection|MemberClients|AnswerLimit|MemberWatch)(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("io.fabric8.kubernetes.client..")
        .because("Fabric8Connection is the one implementation over fabric8 (MemberClients builds it, RequestCounter counts"
            + " its requests, AnswerLimit caps its answers, MemberWatch keeps its client and watches between passes), and"
            + " InClusterSecrets reads the management cluster")
        .check(PRODUCT);
  }

  @Test
  void noStageButTheCommandLineConfiguresLogging() {
    noClasses().should().dependOnClassesThat().resideInAPackage("ch.qos.logback..").check(PRODUCT);
  }
}
