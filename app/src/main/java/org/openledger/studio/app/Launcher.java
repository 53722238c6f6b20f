package org.openledger.studio.app;

import org.openledger.studio.app.cli.StudioCommand;

/**
 * The one entry point: {@code studio} with no arguments opens the desktop studio; {@code studio daemon} runs a
 * headless node; other subcommands are the CLI. It deliberately does not extend {@code javafx.application.Application}
 * so that the headless commands never load JavaFX.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        // every command, the desktop included, returns only when it is finished
        System.exit(StudioCommand.commandLine().execute(args));
    }

    /** Runs the CLI without exiting the JVM; for tests and embedding. */
    public static int run(String... args) {
        return StudioCommand.commandLine().execute(args);
    }
}
