package org.openledger.studio.ui.playground;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** One message of a Playground conversation. An assistant turn fills token by token while it streams. */
public final class ChatTurn {

    /** Where an assistant turn stands. */
    public enum State { STREAMING, DONE, STOPPED, FAILED }

    private final String role;
    private final ObservableList<TokenPiece> pieces = FXCollections.observableArrayList();
    private final StringProperty text = new SimpleStringProperty("");
    private final ObjectProperty<State> state = new SimpleObjectProperty<>(State.DONE);
    private final StringProperty note = new SimpleStringProperty("");
    private final StringProperty attributionId = new SimpleStringProperty();

    private ChatTurn(String role, String text, State state) {
        this.role = role;
        this.text.set(text);
        this.state.set(state);
    }

    public static ChatTurn user(String text) {
        return new ChatTurn("user", text, State.DONE);
    }

    public static ChatTurn assistant() {
        return new ChatTurn("assistant", "", State.STREAMING);
    }

    public String role() {
        return role;
    }

    /** The tokens of an assistant turn, in order. FX thread only. */
    public ObservableList<TokenPiece> pieces() {
        return pieces;
    }

    public StringProperty textProperty() {
        return text;
    }

    public String text() {
        return text.get();
    }

    public ObjectProperty<State> stateProperty() {
        return state;
    }

    /** Why a turn stopped or failed, or the finish reason. */
    public StringProperty noteProperty() {
        return note;
    }

    /** The node's attribution record of this answer (from the stream's usage chunk); null when not attributed. */
    public StringProperty attributionIdProperty() {
        return attributionId;
    }

    /** Adds a token (null when only held-back text is released) and the text that may now be shown. */
    void append(TokenPiece piece, String delta) {
        if (piece != null) {
            pieces.add(piece);
        }
        text.set(text.get() + delta);
    }
}
