package dev.fleetbackup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pipeline's shape, as the README describes it, kept true by a test. */
class ArchitectureTest {
  /** The main classes only, wherever the build put them (the build dir can be chosen). */
  private static final JavaClasses PRODUCT = new ClassFileImporter().importPath(mainClasses());

  private static Path mainClasses() {
    try {
      return Path.of(dev.fleetbackup.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
  void onlyTheCommandLineAndSandboxUseTheTestKit() {
    noClasses().that().resideOutsideOfPackages("dev.fleetbackup.testkit..", "dev.fleetbackup.sandbox..", "dev.fleetbackup.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.fleetbackup.testkit..", "dev.fleetbackup.sandbox..")
        .check(PRODUCT);
  }

  @Test
  void nothingDependsOnTheCommandLine() {
    noClasses().that().resideOutsideOfPackage("dev.fleetbackup.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.fleetbackup.cli..")
        .check(PRODUCT);
  }

  @Test
  void onlySourceUsesJGit() {
    noClasses().that().resideOutsideOfPackages("dev.fleetbackup.source..", "dev.fleetbackup.testkit..", "dev.fleetbackup.sandbox..")
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
        .check(PRODUCT);
  }
}
