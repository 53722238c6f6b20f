package org.openledger.studio.ui.settings;

/**
 * What the studio remembers between runs. Plain data: the view-models own the live state and write it back here.
 *
 * @param theme        {@code light} or {@code dark}
 * @param window       the main window's last bounds
 * @param section      the section shown last
 * @param activeNodeId the node the studio talks to ({@link #LOCAL_NODE} for the embedded one)
 */
public record Settings(String theme, WindowBounds window, String section, String activeNodeId) {

    public static final String LOCAL_NODE = "local";

    /** Main-window bounds; null fields mean "let the window system choose". */
    public record WindowBounds(Double x, Double y, double width, double height, boolean maximized) {
        public static final WindowBounds DEFAULT = new WindowBounds(null, null, 1280, 800, false);
    }

    public static Settings defaults() {
        return new Settings("light", WindowBounds.DEFAULT, "NODES", LOCAL_NODE);
    }

    /** Fills in what an older or hand-edited file left out, so the rest of the studio never sees nulls. */
    public Settings withDefaults() {
        Settings d = defaults();
        return new Settings(
                "dark".equals(theme) ? "dark" : "light",
                window == null || window.width() < 200 || window.height() < 150 ? d.window() : window,
                section == null || section.isBlank() ? d.section() : section,
                activeNodeId == null || activeNodeId.isBlank() ? d.activeNodeId() : activeNodeId);
    }

    public Settings withTheme(String t) {
        return new Settings(t, window, section, activeNodeId);
    }

    public Settings withWindow(WindowBounds w) {
        return new Settings(theme, w, section, activeNodeId);
    }

    public Settings withSection(String s) {
        return new Settings(theme, window, s, activeNodeId);
    }

    public Settings withActiveNode(String id) {
        return new Settings(theme, window, section, id);
    }
}
