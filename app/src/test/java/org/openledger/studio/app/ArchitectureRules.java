package org.openledger.studio.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaMethod;
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
}
