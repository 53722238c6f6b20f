package org.openledger.studio.ui.nodes;

import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.shape.Circle;

/** A coloured dot and the state's words; the colour comes from the theme (CSS class {@code state-...}). */
public final class StateBadge extends Label {

    private final Circle dot = new Circle(4.5);

    public StateBadge() {
        getStyleClass().add("state-badge");
        dot.getStyleClass().add("state-dot");
        setGraphic(dot);
    }

    public void show(ConnectionState state) {
        getStyleClass().removeIf(c -> c.startsWith("state-") && !c.equals("state-badge"));
        if (state == null) {
            setText("");
            return;
        }
        getStyleClass().add("state-" + state.name().toLowerCase(Locale.ROOT));
        setText(state.label());
    }
}
