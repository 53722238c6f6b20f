package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    /** Small classes (STYLE.md): no production source file of any module has more than 500 lines. */
    @Test
    void noMainClassIsLongerThan500Lines() throws IOException {
        Path root = repositoryRoot();
        SortedMap<Path, Integer> lines = ArchitectureRules.mainSourceLines(root);
        // the walk must reach every module's sources, or the rule checks nothing
        for (String module : new String[]{"store", "daemon-api", "daemon", "local-gpu", "attribution", "ui", "app"}) {
            assertTrue(lines.keySet().stream().anyMatch(p -> p.startsWith(module)),
                    "no production sources of " + module + " were found below " + root);
        }
        List<String> over = ArchitectureRules.longerThan(lines, ArchitectureRules.MAX_LINES_PER_MAIN_CLASS);
        assertEquals(List.of(), over, "split these by concern into classes of at most "
                + ArchitectureRules.MAX_LINES_PER_MAIN_CLASS + " lines");
    }

    /** The size rule bites: a 501-line production class is reported; 500 lines, tests and generated code are not. */
    @Test
    void theSizeRuleReportsAClassOneLineOverTheLimit(@TempDir Path dir) throws IOException {
        writeLines(dir.resolve("engine/src/main/java/org/example/Long.java"), 501);
        writeLines(dir.resolve("engine/src/main/java/org/example/AtTheLimit.java"), 500);
        writeLines(dir.resolve("engine/src/test/java/org/example/LongTest.java"), 900);
        writeLines(dir.resolve("engine/target/generated-sources/java/src/main/java/org/example/Generated.java"), 900);
        writeLines(dir.resolve("engine/src/main/resources/Data.java"), 900);
        SortedMap<Path, Integer> lines = ArchitectureRules.mainSourceLines(dir);
        assertEquals(2, lines.size(), "only the two production sources are read: " + lines);
        assertEquals(List.of(Path.of("engine/src/main/java/org/example/Long.java") + " (501 lines)"),
                ArchitectureRules.longerThan(lines, ArchitectureRules.MAX_LINES_PER_MAIN_CLASS));
    }

    private static void writeLines(Path file, int count) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("// line ").append(i + 1).append('\n');
        }
        Files.writeString(file, text);
    }

    /** The reactor's root: the folder above app's (tests run in the module's folder) whose pom lists app. */
    private static Path repositoryRoot() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path pom = root.resolve("pom.xml");
        assertTrue(Files.isRegularFile(pom) && Files.readString(pom).contains("<module>app</module>"),
                root + " is not the reactor's root");
        return root;
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
