package org.openledger.studio.ui.shell;

import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Scene;

/** Runs something once, right after the first layout pulse of a scene: the moment its first frame is drawn. */
public final class FirstFrame {

    private FirstFrame() {
    }

    public static void then(Scene scene, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
                // not removed inside the pulse that is iterating its listeners
                Platform.runLater(() -> scene.removePostLayoutPulseListener(listener[0]));
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }
}
