package org.openledger.studio.ui.section;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.openledger.studio.ui.shell.Section;

/**
 * A section whose feature has not been built yet. It says so plainly and shows nothing else: no sample data, no
 * controls that do nothing.
 */
public final class PlannedSectionView extends VBox {

    public PlannedSectionView(Section section, String availability) {
        getStyleClass().add("planned-section");
        setAlignment(Pos.CENTER);
        setSpacing(14);
        FontIcon icon = new FontIcon(section.icon());
        icon.getStyleClass().add("planned-icon");
        Label title = new Label(section.title());
        title.getStyleClass().add("title-2");
        Label summary = new Label(section.summary());
        summary.setWrapText(true);
        summary.setMaxWidth(560);
        summary.getStyleClass().add("planned-summary");
        Label status = new Label(availability);
        status.setWrapText(true);
        status.setMaxWidth(560);
        status.getStyleClass().add("planned-status");
        status.setId("planned-status-" + section.name().toLowerCase(java.util.Locale.ROOT));
        getChildren().addAll(icon, title, summary, status);
    }
}
