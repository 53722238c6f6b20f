package org.openledger.studio.ui.tasks;

/** Background work that produces a {@code T}, reporting progress as it goes. Never touches the UI. */
@FunctionalInterface
public interface Work<T> {
    T run(Progress progress) throws Exception;
}
