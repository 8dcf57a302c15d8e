package dev.picket.injector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the mutation pure: the golden tests and the GitOps endpoint rely on it doing no I/O. */
@AnalyzeClasses(packages = "dev.picket.injector", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule mutateIsPure = noClasses().that().resideInAPackage("dev.picket.injector.mutate..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "jakarta..", "io.quarkus..", "io.vertx..", "io.fabric8.kubernetes.client..", "java.nio.file..",
                    "java.net..", "dev.picket.injector.admission..", "dev.picket.injector.kube..",
                    "dev.picket.injector.tls..", "dev.picket.injector.config..", "dev.picket.injector.manifest..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock");

    /** The admission policies are pure as well: the golden tests run them without a cluster. */
    @ArchTest
    static final ArchRule policyIsPure = noClasses().that().resideInAPackage("dev.picket.injector.policy..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "jakarta..", "io.quarkus..", "io.vertx..", "io.fabric8.kubernetes.client..", "java.nio.file..",
                    "java.net..", "dev.picket.injector.admission..", "dev.picket.injector.kube..",
                    "dev.picket.injector.tls..", "dev.picket.injector.config..", "dev.picket.injector.manifest..",
                    "dev.picket.injector.mutate..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock");

    @ArchTest
    static final ArchRule manifestDoesNoIo = noClasses().that().resideInAPackage("dev.picket.injector.manifest..")
            .and().haveSimpleNameNotEndingWith("Resource")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..", "java.nio.file..");
}
