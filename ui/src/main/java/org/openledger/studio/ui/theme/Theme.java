package org.openledger.studio.ui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * Light and dark themes: AtlantaFX's Primer themes as the base (their colour tokens, e.g. {@code -color-bg-default},
 * are defined on {@code .root}), and the studio's own {@code studio.css} built only from those tokens, so that both
 * themes follow from one stylesheet.
 */
public enum Theme {
    LIGHT("light"),
    DARK("dark");

    private static final String STUDIO_CSS = Objects.requireNonNull(
            Theme.class.getResource("/org/openledger/studio/ui/studio.css")).toExternalForm();

    private final String id;

    Theme(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Theme parse(String id) {
        return "dark".equals(id) ? DARK : LIGHT;
    }

    public Theme other() {
        return this == LIGHT ? DARK : LIGHT;
    }

    /** Applies the theme to the whole application and to {@code scene}. Call on the FX thread. */
    public void apply(Scene scene) {
        Application.setUserAgentStylesheet(this == LIGHT
                ? new PrimerLight().getUserAgentStylesheet()
                : new PrimerDark().getUserAgentStylesheet());
        if (!scene.getStylesheets().contains(STUDIO_CSS)) {
            scene.getStylesheets().add(STUDIO_CSS);
        }
        scene.getRoot().getStyleClass().removeAll("theme-light", "theme-dark");
        scene.getRoot().getStyleClass().add("theme-" + id);
    }
}
