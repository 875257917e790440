package dev.fleetbackup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The pipeline's shape, as the README describes it, kept true by a test. */
class ArchitectureTest {
  private static final JavaClasses PRODUCT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.fleetbackup");

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
