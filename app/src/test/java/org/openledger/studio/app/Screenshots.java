package org.openledger.studio.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.openledger.studio.app.desktop.Desktop;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Screenshots of the studio's window for the docs, taken by the view tests when asked to. */
public final class Screenshots {

    private Screenshots() {
    }

    /**
     * With {@code -Dstudio.screenshots=DIR}, saves the window in the light and the dark theme as
     * {@code DIR/NAME-light.png} and {@code DIR/NAME-dark.png}, to look at the UI as a person would.
     */
    public static void shoot(Stage stage, Desktop desktop, String name) throws Exception {
        String folder = System.getProperty("studio.screenshots");
        if (folder == null) {
            return;
        }
        // the headless screen is 1280 x 800: a larger window overflows its buffer
        FxToolkit.setupFixture(() -> {
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1280);
            stage.setHeight(800);
        });
        for (String theme : List.of("light", "dark")) {
            if (!stage.getScene().getRoot().getStyleClass().contains("theme-" + theme)) {
                FxToolkit.setupFixture(() -> desktop.window().toggleTheme());
            }
            WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(300);
            WaitForAsyncUtils.waitForFxEvents();
            AtomicReference<javafx.scene.image.WritableImage> image = new AtomicReference<>();
            FxToolkit.setupFixture(() -> image.set(stage.getScene().snapshot(null)));
            javafx.scene.image.WritableImage img = image.get();
            int w = (int) img.getWidth();
            int h = (int) img.getHeight();
            java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(w, h,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.setRGB(x, y, img.getPixelReader().getArgb(x, y));
                }
            }
            Path file = Path.of(folder).resolve(name + "-" + theme + ".png");
            java.nio.file.Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(out, "png", file.toFile());
        }
        FxToolkit.setupFixture(() -> {
            if (stage.getScene().getRoot().getStyleClass().contains("theme-dark")) {
                desktop.window().toggleTheme();
            }
        });
    }
}
