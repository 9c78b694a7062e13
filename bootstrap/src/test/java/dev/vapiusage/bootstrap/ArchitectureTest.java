package dev.vapiusage.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hexagon's rules. They live here because bootstrap sees every module; the module poms make
 * most violations fail to compile already, and these catch the rest (e.g. a framework type in the
 * domain through a transitive dependency).
 */
class ArchitectureTest {
  private static final String DOMAIN = "dev.vapiusage.domain..";
  private static final String APPLICATION = "dev.vapiusage.application..";

  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Domain")
          .definedBy(DOMAIN)
          .layer("Application")
          .definedBy(APPLICATION)
          .layer("AdapterVapi")
          .definedBy("dev.vapiusage.adapter.vapi..")
          .layer("AdapterPersistence")
          .definedBy("dev.vapiusage.adapter.persistence..")
          .layer("AdapterHttp")
          .definedBy("dev.vapiusage.adapter.http..")
          .layer("Bootstrap")
          .definedBy("dev.vapiusage.bootstrap..")
          // The embedder's entry point (module library): the composition root the server also uses.
          .layer("Library")
          .definedBy("dev.vapiusage")
          // The Vapi simulator (tests and the demo): a stand-in for Vapi, so it knows the domain's
          // call records but not the client it is there to check.
          .layer("Simulator")
          .definedBy("dev.vapiusage.simulator..")
          .whereLayer("Bootstrap")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Library")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("AdapterVapi")
          .mayOnlyBeAccessedByLayers("Library", "Bootstrap")
          .whereLayer("AdapterPersistence")
          .mayOnlyBeAccessedByLayers("Library", "Bootstrap")
          .whereLayer("AdapterHttp")
          .mayOnlyBeAccessedByLayers("Library", "Bootstrap")
          .whereLayer("Simulator")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("Simulator")
          .mayOnlyAccessLayers("Domain")
          .whereLayer("Application")
          .mayOnlyBeAccessedByLayers("AdapterHttp", "Library", "Bootstrap");

  static final ArchRule DOMAIN_IS_PURE_JAVA =
      classes()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", DOMAIN)
          .because("the domain knows no framework and no adapter");

  static final ArchRule APPLICATION_ONLY_USES_THE_DOMAIN =
      classes()
          .that()
          .resideInAPackage(APPLICATION)
          .should()
          .onlyDependOnClassesThat()
          // The JDK's MAC is computation, not a way out: page cursors are signed in the use case
          // with a key the SigningKeys port gives.
          .resideInAnyPackage("java..", "javax.crypto..", DOMAIN, APPLICATION)
          .because("use cases reach the world only through the domain's ports");

  static final ArchRule DOMAIN_HAS_NO_IO =
      classes()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .onlyDependOnClassesThat()
          .resideOutsideOfPackages("java.io..", "java.nio.file..", "java.net..", "java.sql..")
          .because("the domain does no I/O");

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ArchitectureTest::isProductionCode)
            .importPackages("dev.vapiusage");
  }

  /** Test classes, in test-classes folders or in a module's test-jar, may cross layers. */
  private static boolean isProductionCode(Location location) {
    return new ImportOption.DoNotIncludeTests().includes(location)
        && !location.contains("-tests.jar")
        && !location.contains("/test-classes/");
  }

  @Test
  void layers_onlyDependInward() {
    LAYERS.check(classes);
  }

  @Test
  void domain_dependsOnNothingButJava() {
    DOMAIN_IS_PURE_JAVA.check(classes);
    DOMAIN_HAS_NO_IO.check(classes);
  }

  @Test
  void application_dependsOnlyOnTheDomain() {
    APPLICATION_ONLY_USES_THE_DOMAIN.check(classes);
  }
}
