package org.openledger.studio.datanet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays an engine: no UI toolkit, no HTTP server, and ingest/check know nothing of storage. */
class LayeringTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openledger.studio.datanet");

    @Test
    void noUiToolkitAndNoHttpServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.net.httpserver..",
                "io.javalin..", "org.eclipse.jetty..").check(classes);
    }

    @Test
    void ingestAndChecksDoNotDependOnTheWorkspaceOrUploads() {
        noClasses().that().resideInAnyPackage("..datanet.ingest..", "..datanet.check..").should().dependOnClassesThat()
                .resideInAnyPackage("..datanet.workspace..", "..datanet.contribution..", "java.sql..").check(classes);
    }
}
