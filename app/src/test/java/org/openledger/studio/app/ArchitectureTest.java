package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.archfixture.ApiUsingEngineType;
import org.openledger.studio.daemon.handlers.archfixture.FatHandler;
import org.openledger.studio.gpu.archfixture.EngineUsingJavaFx;

/**
 * The layering of the house, checked on the production classes of every module on the class path. The second half
 * proves each rule bites: a class that breaks it on purpose (in src/test, so never shipped) must be reported.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.openledger.studio");
        // every module's classes must be here, or the rules check nothing
        for (String pkg : new String[]{"org.openledger.studio.store", "org.openledger.studio.api",
                "org.openledger.studio.daemon", "org.openledger.studio.ui", "org.openledger.studio.app"}) {
            assertTrue(production.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
                    "classes of " + pkg + " were not imported");
        }
    }

    @Test
    void onlyTheUiUsesJavaFx() {
        ArchitectureRules.ONLY_UI_USES_JAVAFX.check(production);
    }

    @Test
    void enginesKnowNoHttpServer() {
        ArchitectureRules.ENGINES_KNOW_NO_HTTP_SERVER.check(production);
    }

    @Test
    void enginesKnowNoUi() {
        ArchitectureRules.ENGINES_KNOW_NO_UI.check(production);
    }

    @Test
    void theApiKnowsNoEngine() {
        ArchitectureRules.API_KNOWS_NO_ENGINE.check(production);
    }

    @Test
    void handlersHoldNoAlgorithms() {
        ArchitectureRules.HANDLERS_HOLD_NO_ALGORITHMS.check(production);
        ArchitectureRules.HANDLERS_DO_NOT_TOUCH_STORAGE.check(production);
    }

    @Test
    void eachRuleReportsAClassThatBreaksItOnPurpose() {
        JavaClasses engineFixture = new ClassFileImporter().importClasses(EngineUsingJavaFx.class);
        JavaClasses handlerFixture = new ClassFileImporter().importClasses(FatHandler.class);
        assertViolated(ArchitectureRules.ONLY_UI_USES_JAVAFX, engineFixture, "javafx");
        assertViolated(ArchitectureRules.ENGINES_KNOW_NO_HTTP_SERVER, engineFixture, "com.sun.net.httpserver");
        assertViolated(ArchitectureRules.HANDLERS_HOLD_NO_ALGORITHMS, handlerFixture, "java.lang.Math");
        assertViolated(ArchitectureRules.HANDLERS_HOLD_NO_ALGORITHMS, handlerFixture, "move the work into an engine");
        assertViolated(ArchitectureRules.HANDLERS_DO_NOT_TOUCH_STORAGE, handlerFixture, "java.sql");
        assertViolated(ArchitectureRules.API_KNOWS_NO_ENGINE,
                new ClassFileImporter().importClasses(ApiUsingEngineType.class), "datanet.contribution.PlannedChunk");
    }

    private static void assertViolated(ArchRule rule, JavaClasses classes, String mention) {
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), rule.getDescription() + " did not report the fixture");
        String report = result.getFailureReport().toString();
        assertTrue(report.contains(mention), "report should mention " + mention + ":\n" + report);
    }
}
