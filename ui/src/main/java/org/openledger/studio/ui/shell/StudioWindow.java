package org.openledger.studio.ui.shell;

import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.openledger.studio.ui.settings.Preferences;
import org.openledger.studio.ui.settings.Settings.WindowBounds;
import org.openledger.studio.ui.theme.Theme;

/** Puts the shell in the main window: title, theme, and the window's place and size remembered between runs. */
public final class StudioWindow {

    private final Stage stage;
    private final Preferences preferences;
    private final Scene scene;
    private Theme theme;

    public StudioWindow(Stage stage, Shell shell, Preferences preferences) {
        this.stage = stage;
        this.preferences = preferences;
        WindowBounds b = preferences.current().window();
        this.scene = new Scene(shell, b.width(), b.height());
        this.theme = Theme.parse(preferences.current().theme());
        theme.apply(scene);
        stage.setTitle("OpenLedger Studio");
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        place(b);
    }

    public Scene scene() {
        return scene;
    }

    public Theme theme() {
        return theme;
    }

    public void toggleTheme() {
        theme = theme.other();
        theme.apply(scene);
        preferences.update(s -> s.withTheme(theme.id()));
    }

    /** Remembers where the window is; call when it closes. */
    public void rememberBounds() {
        WindowBounds b = stage.isMaximized()
                ? new WindowBounds(stage.getX(), stage.getY(), preferences.current().window().width(),
                preferences.current().window().height(), true)
                : new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        preferences.update(s -> s.withWindow(b));
    }

    /** Restores the last bounds when they are still on a screen (a monitor may have been unplugged). */
    private void place(WindowBounds b) {
        if (b.x() != null && b.y() != null) {
            Rectangle2D wanted = new Rectangle2D(b.x(), b.y(), b.width(), b.height());
            boolean visible = Screen.getScreens().stream()
                    .anyMatch(s -> s.getVisualBounds().intersects(wanted.getMinX(), wanted.getMinY(), 100, 40));
            if (visible) {
                stage.setX(b.x());
                stage.setY(b.y());
            } else {
                stage.centerOnScreen();
            }
        } else {
            stage.centerOnScreen();
        }
        stage.setWidth(b.width());
        stage.setHeight(b.height());
        stage.setMaximized(b.maximized());
    }
}
