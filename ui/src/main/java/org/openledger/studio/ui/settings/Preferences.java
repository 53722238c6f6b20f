package org.openledger.studio.ui.settings;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.openledger.studio.ui.shell.Notices;

/**
 * The live settings of this run. Changes apply at once in memory and are written to disk in the background, in
 * order, each write replacing the file atomically.
 */
public final class Preferences {

    private final SettingsStore store;
    private final Executor writer;
    private final Notices notices;
    private volatile Settings current;
    private volatile boolean warnedOnce;

    /**
     * @param writer a single-threaded executor, so that writes land in the order they were made
     */
    public Preferences(SettingsStore store, Settings initial, Executor writer, Notices notices) {
        this.store = store;
        this.current = initial;
        this.writer = writer;
        this.notices = notices;
    }

    public Settings current() {
        return current;
    }

    public synchronized void update(UnaryOperator<Settings> change) {
        Settings next = change.apply(current);
        current = next;
        writer.execute(() -> write(next));
    }

    /** Writes the current settings now, on the calling thread (used at exit). */
    public void flush() {
        write(current);
    }

    private void write(Settings s) {
        try {
            store.save(s);
        } catch (IOException e) {
            if (!warnedOnce) {
                warnedOnce = true;
                notices.post(Notices.Level.WARNING, "Settings cannot be saved to " + store.file() + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); changes last only for this session.");
            }
        }
    }
}
