package org.openledger.studio.ui.nodes;

/** How the studio stands with a node. */
public enum ConnectionState {
    STARTING("Starting"),
    CONNECTING("Connecting"),
    CONNECTED("Connected"),
    UNREACHABLE("Unreachable"),
    UNAUTHORIZED("Token refused"),
    FAILED("Failed");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
