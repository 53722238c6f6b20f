package org.openledger.studio.gpu;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays an engine: no UI toolkit, no HTTP server, no other module's internals. */
class LayeringTest {

    static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openledger.studio.gpu");

    @Test
    void engineKnowsNoUiAndNoHttp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.net.httpserver..",
                "io.javalin..", "org.eclipse.jetty..", "okhttp3..").check(ENGINE);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        noClasses().that().resideInAnyPackage("..gpu.safetensors..", "..gpu.tokenizer..", "..gpu.device..")
                .should().dependOnClassesThat().resideInAnyPackage("..gpu.generate..", "..gpu.lora..")
                .check(ENGINE);
        noClasses().that().resideInAPackage("..gpu.safetensors..").should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..").check(ENGINE);
    }
}
