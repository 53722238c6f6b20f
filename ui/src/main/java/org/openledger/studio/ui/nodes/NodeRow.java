package org.openledger.studio.ui.nodes;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.NodeInfo;

/** One line of the Nodes table: a node and what the studio last learned of it. FX thread only. */
public final class NodeRow {

    private final ObjectProperty<NodeEntry> entry = new SimpleObjectProperty<>();
    private final ObjectProperty<ConnectionState> state = new SimpleObjectProperty<>(ConnectionState.CONNECTING);
    private final StringProperty detail = new SimpleStringProperty("");
    private final ObjectProperty<NodeInfo> info = new SimpleObjectProperty<>();
    private final BooleanProperty active = new SimpleBooleanProperty();

    public NodeRow(NodeEntry entry) {
        this.entry.set(entry);
    }

    public String id() {
        return entry.get().id();
    }

    public ObjectProperty<NodeEntry> entryProperty() {
        return entry;
    }

    public NodeEntry entry() {
        return entry.get();
    }

    public ObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    public ConnectionState state() {
        return state.get();
    }

    /** Version and latency when connected, the reason otherwise. */
    public StringProperty detailProperty() {
        return detail;
    }

    public ObjectProperty<NodeInfo> infoProperty() {
        return info;
    }

    public BooleanProperty activeProperty() {
        return active;
    }
}
