package org.openledger.studio.ui.playground;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.openai.ChatMessage;

/** One side of the Playground: a model and the conversation held with it. */
public final class Conversation {

    private final StringProperty model = new SimpleStringProperty();
    private final ObservableList<ChatTurn> turns = FXCollections.observableArrayList();

    public StringProperty modelProperty() {
        return model;
    }

    public ObservableList<ChatTurn> turns() {
        return turns;
    }

    /** The finished turns as the chat API wants them (a turn that failed or is still streaming is left out). */
    List<ChatMessage> history() {
        List<ChatMessage> out = new ArrayList<>();
        for (ChatTurn t : turns) {
            if (t.stateProperty().get() == ChatTurn.State.DONE || t.stateProperty().get() == ChatTurn.State.STOPPED) {
                out.add(new ChatMessage(t.role(), t.text()));
            }
        }
        return out;
    }
}
