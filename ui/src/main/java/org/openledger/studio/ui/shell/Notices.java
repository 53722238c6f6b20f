package org.openledger.studio.ui.shell;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Messages the user must see (a damaged settings file, a node that failed to start); shown as banners. */
public final class Notices {

    /** How serious a notice is; decides its colour. */
    public enum Level { INFO, WARNING, ERROR }

    /** One message. */
    public record Notice(Level level, String text) {
    }

    private final ObservableList<Notice> items = FXCollections.observableArrayList();
    private final java.util.concurrent.Executor ui;

    /** Notices shown on the FX thread. */
    public Notices() {
        this(org.openledger.studio.ui.tasks.FxThread.INSTANCE);
    }

    /** @param ui where the list changes (the FX thread in the studio) */
    public Notices(java.util.concurrent.Executor ui) {
        this.ui = ui;
    }

    public ObservableList<Notice> items() {
        return items;
    }

    /** Posts a notice; callable from any thread. Repeats of a shown notice are dropped. */
    public void post(Level level, String text) {
        Runnable add = () -> {
            Notice n = new Notice(level, text);
            if (!items.contains(n)) {
                items.add(n);
            }
        };
        ui.execute(add);
    }

    public void dismiss(Notice n) {
        items.remove(n);
    }
}
