package org.openledger.studio.ui.tasks;

/** What background work reports while it runs; safe to call from the worker thread. */
public interface Progress {

    /** {@code done} of {@code total} units; a negative total means "unknown". */
    void update(long done, long total);

    void message(String message);

    /** True once the user cancelled: long work checks this and stops early. */
    boolean isCancelled();
}
