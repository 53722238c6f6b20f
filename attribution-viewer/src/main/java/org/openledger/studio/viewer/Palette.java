package org.openledger.studio.viewer;

import java.util.Comparator;
import org.openledger.studio.api.attribution.AttributionRecord;

/**
 * Colours of Datanets: each Datanet id maps, always the same way, to one of the theme's chart colours (style classes
 * {@code attr-palette-1} to {@code -6} in {@code attribution.css}); rows of inline training data take
 * {@code attr-palette-0}, the theme's accent.
 */
public final class Palette {

    static final int SIZE = 6;

    /** The viewer's stylesheet, built only from the theme's colour tokens (light and dark alike). */
    public static final String STYLESHEET = java.util.Objects.requireNonNull(
            Palette.class.getResource("attribution.css")).toExternalForm();

    private Palette() {
    }

    /** Adds the viewer's stylesheet to {@code parent} (once). */
    static void style(javafx.scene.Parent parent) {
        if (!parent.getStylesheets().contains(STYLESHEET)) {
            parent.getStylesheets().add(STYLESHEET);
        }
    }

    /** The style class of {@code datanetId} (null or blank: inline training data). */
    public static String styleClass(String datanetId) {
        if (datanetId == null || datanetId.isBlank()) {
            return "attr-palette-0";
        }
        return "attr-palette-" + (1 + Math.floorMod(datanetId.hashCode(), SIZE));
    }

    /** The Datanet with the largest share of the record, or null when its rows are all inline training data. */
    public static String leadingDatanet(AttributionRecord record) {
        if (record == null || record.datanets() == null) {
            return null;
        }
        return record.datanets().stream().filter(d -> d.datanetId() != null && d.share() > 0)
                .max(Comparator.comparingDouble(AttributionRecord.DatanetShare::share))
                .map(AttributionRecord.DatanetShare::datanetId).orElse(null);
    }
}
