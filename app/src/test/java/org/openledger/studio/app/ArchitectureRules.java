package org.openledger.studio.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaMethod;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/** The layering rules of docs/ARCHITECTURE.md, as ArchUnit rules. */
final class ArchitectureRules {

    /** Engine packages: they run in the node or behind the UI, never on the FX thread, never in an HTTP server. */
    static final String[] ENGINES = {
            "org.openledger.studio.wallet..", "org.openledger.studio.contracts..", "org.openledger.studio.datanet..",
            "org.openledger.studio.gpu..", "org.openledger.studio.finetune..", "org.openledger.studio.attribution..",
            "org.openledger.studio.model..",
            "org.openledger.studio.store.."};

    static final String HANDLERS = "org.openledger.studio.daemon.handlers..";

    /** Most calls a handler method may make: parse, call an engine, map the result. */
    static final int MAX_CALLS_PER_HANDLER_METHOD = 30;

    /** Most lines a production source file may have (Cryptomator's largest class is under 500; see STYLE.md). */
    static final int MAX_LINES_PER_MAIN_CLASS = 500;

    /** Folders never searched for sources: build output (generated code), npm packages, version control. */
    private static final Set<String> NOT_SOURCES = Set.of("target", "node_modules", ".git");

    private ArchitectureRules() {
    }

    static final ArchRule ONLY_UI_USES_JAVAFX = noClasses()
            .that().resideOutsideOfPackages("org.openledger.studio.ui..", "org.openledger.studio.viewer..",
                    "org.openledger.studio.app..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("only ui, attribution-viewer and app may touch JavaFX; engines never run on the FX thread");

    static final ArchRule ENGINES_KNOW_NO_HTTP_SERVER = noClasses()
            .that().resideInAnyPackage(ENGINES)
            .should().dependOnClassesThat().resideInAnyPackage("com.sun.net.httpserver..",
                    "org.openledger.studio.daemon..", "io.javalin..", "org.eclipse.jetty..")
            .because("engines are libraries: the daemon calls them, not the other way round");

    static final ArchRule ENGINES_KNOW_NO_UI = noClasses()
            .that().resideInAnyPackage(ENGINES)
            .should().dependOnClassesThat().resideInAnyPackage("org.openledger.studio.ui..",
                    "org.openledger.studio.viewer..", "org.openledger.studio.app..")
            .because("engines are wired by the composition root, not the reverse");

    /** The protocol's records are its own (decision 18): daemon-api imports no engine, node or UI class. */
    static final ArchRule API_KNOWS_NO_ENGINE = noClasses()
            .that().resideInAPackage("org.openledger.studio.api..")
            .should().dependOnClassesThat().resideInAnyPackage(ENGINES)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.openledger.studio.daemon..",
                    "org.openledger.studio.ui..", "org.openledger.studio.viewer..", "org.openledger.studio.app..")
            .because("an engine's field renamed must not change the HTTP protocol, and the API needs no engine");

    static final ArchRule HANDLERS_HOLD_NO_ALGORITHMS = methods()
            .that().areDeclaredInClassesThat().resideInAPackage(HANDLERS)
            .should(new ArchCondition<>("make at most " + MAX_CALLS_PER_HANDLER_METHOD
                    + " calls and no arithmetic library calls") {
                @Override
                public void check(JavaMethod m, ConditionEvents events) {
                    int calls = m.getMethodCallsFromSelf().size();
                    if (calls > MAX_CALLS_PER_HANDLER_METHOD) {
                        events.add(SimpleConditionEvent.violated(m, m.getFullName() + " makes " + calls
                                + " calls: move the work into an engine"));
                    }
                    m.getMethodCallsFromSelf().stream()
                            .filter(c -> c.getTargetOwner().getName().equals("java.lang.Math")
                                    || c.getTargetOwner().getPackageName().startsWith("java.util.stream"))
                            .findFirst()
                            .ifPresent(c -> events.add(SimpleConditionEvent.violated(m, m.getFullName()
                                    + " computes (" + c.getTarget().getFullName() + "): move it into an engine")));
                }
            })
            .allowEmptyShould(true)
            .because("daemon handlers are thin: parse, call an engine, map the result");

    static final ArchRule HANDLERS_DO_NOT_TOUCH_STORAGE = noClasses()
            .that().resideInAPackage(HANDLERS)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.openledger.studio.store..")
            .because("handlers reach state through engines and services, never through SQL");

    /**
     * Every production source file below {@code root} ({@code .java} files under a {@code src/main/java} folder of
     * any module; tests, and code generated into {@code target/}, are not production sources) with its number of
     * lines, by its path from {@code root}, sorted.
     */
    static SortedMap<Path, Integer> mainSourceLines(Path root) throws IOException {
        SortedMap<Path, Integer> lines = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && NOT_SOURCES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = root.relativize(file);
                if (isMainSource(relative)) {
                    lines.put(relative, Files.readAllLines(file).size());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return lines;
    }

    /** The sources of {@link #mainSourceLines} longer than {@code maxLines}, as "path (N lines)". */
    static List<String> longerThan(SortedMap<Path, Integer> lines, int maxLines) {
        List<String> over = new ArrayList<>();
        lines.forEach((path, n) -> {
            if (n > maxLines) {
                over.add(path + " (" + n + " lines)");
            }
        });
        return over;
    }

    /** A {@code .java} file below a {@code src/main/java} folder, by its path relative to the repository. */
    private static boolean isMainSource(Path relative) {
        if (!relative.toString().endsWith(".java")) {
            return false;
        }
        for (int i = 0; i + 3 < relative.getNameCount(); i++) {
            if (relative.getName(i).toString().equals("src") && relative.getName(i + 1).toString().equals("main")
                    && relative.getName(i + 2).toString().equals("java")) {
                return true;
            }
        }
        return false;
    }
}
