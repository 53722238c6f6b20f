package org.openledger.studio.ui.tasks;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/** The studio's UI executor: runs at once on the FX thread, else queues there. Tests pass their own executor. */
public final class FxThread implements Executor {

    public static final FxThread INSTANCE = new FxThread();

    private FxThread() {
    }

    @Override
    public void execute(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
