package org.openledger.studio.app.desktop;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.LogFiles;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Folders;
import org.openledger.studio.ui.shell.FirstFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the JavaFX toolkit, opens the studio window and returns when it is closed. */
public final class DesktopLauncher {

    private static final Logger log = LoggerFactory.getLogger(DesktopLauncher.class);

    private DesktopLauncher() {
    }

    public static int run(AppDirs dirs, Path measureFile, int idleSeconds, boolean baseline) {
        LogFiles.attach(dirs.logs().resolve("studio.log"));
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong firstFrame = new AtomicLong();
        AtomicReference<Desktop> desktop = new AtomicReference<>();
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            long toolkitReady = System.nanoTime();
            log.debug("JavaFX toolkit up {} ms after JVM start", System.currentTimeMillis()
                    - ManagementFactory.getRuntimeMXBean().getStartTime());
            Stage stage = new Stage();
            stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> closed.countDown());
            try {
                if (baseline) {
                    stage.setScene(new Scene(new Label("baseline"), 1280, 800));
                    stage.setTitle("baseline");
                    stage.show();
                } else {
                    desktop.set(Desktop.open(stage, dirs, Desktop.LocalNodeFactory.childProcess()));
                }
                log.debug("Window built and shown in {} ms", (System.nanoTime() - toolkitReady) / 1_000_000);
            } catch (RuntimeException e) {
                failure.set(e);
                log.error("The studio could not open", e);
                Alert alert = new Alert(Alert.AlertType.ERROR, e.getMessage());
                alert.setHeaderText("OpenLedger Studio could not open");
                alert.showAndWait();
                closed.countDown();
                return;
            }
            if (measureFile != null) {
                FirstFrame.then(stage.getScene(), () -> firstFrame.set(System.currentTimeMillis()));
                measureLater(stage, desktop.get(), measureFile, idleSeconds, firstFrame);
            }
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
        return failure.get() == null ? 0 : 1;
    }

    private static void measureLater(Stage stage, Desktop desktop, Path file, int idleSeconds, AtomicLong firstFrame) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(idleSeconds * 1000L);
                Map<String, Object> out = new LinkedHashMap<>();
                long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
                out.put("jvm_start_epoch_ms", jvmStart);
                out.put("first_frame_epoch_ms", firstFrame.get());
                out.put("first_frame_after_jvm_start_ms", firstFrame.get() - jvmStart);
                out.put("heap_used_after_gc_bytes", MemoryProbe.heapUsedAfterGc());
                out.put("studio_rss_bytes", MemoryProbe.residentBytes(ProcessHandle.current().pid()));
                long nodePid = desktop != null && desktop.localNode() instanceof EmbeddedNode en ? en.pid() : -1;
                out.put("node_rss_bytes", MemoryProbe.residentBytes(nodePid));
                Folders.writeAtomically(file, Wire.mapper().writeValueAsBytes(out), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                log.error("Cannot write {}", file, e);
            } finally {
                Platform.runLater(stage::close);
            }
        }, "startup-probe");
        t.setDaemon(true);
        t.start();
    }
}
