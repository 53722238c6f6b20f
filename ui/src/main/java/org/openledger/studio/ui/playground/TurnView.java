package org.openledger.studio.ui.playground;

import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;

/**
 * One message bubble. An assistant message is a flow of tokens; hovering a token shows how likely it was and the
 * alternatives the model weighed.
 */
final class TurnView extends VBox {

    private final TextFlow flow = new TextFlow();

    TurnView(ChatTurn turn) {
        getStyleClass().addAll("chat-turn", "chat-turn-" + turn.role());
        Label who = new Label(turn.role().equals("user") ? "You" : "Model");
        who.getStyleClass().add("chat-role");
        flow.getStyleClass().add("chat-text");
        Label note = new Label();
        note.getStyleClass().add("chat-note");
        note.textProperty().bind(turn.noteProperty());
        note.visibleProperty().bind(turn.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        getChildren().addAll(who, flow, note);
        if (turn.role().equals("user")) {
            flow.getChildren().add(new Text(turn.text()));
        } else {
            turn.pieces().forEach(this::add);
            turn.pieces().addListener((ListChangeListener<TokenPiece>) c -> {
                while (c.next()) {
                    c.getAddedSubList().forEach(this::add);
                }
            });
            turn.stateProperty().addListener((o, a, b) -> {
                getStyleClass().removeAll("chat-failed");
                if (b == ChatTurn.State.FAILED) {
                    getStyleClass().add("chat-failed");
                }
            });
        }
    }

    private void add(TokenPiece piece) {
        Text t = new Text(piece.text());
        t.getStyleClass().add("chat-token");
        if (!Double.isNaN(piece.probability())) {
            double p = piece.probability();
            t.getStyleClass().add(p >= 0.5 ? "token-likely" : p >= 0.1 ? "token-possible" : "token-unlikely");
            Tooltip tip = new Tooltip(describe(piece));
            tip.setShowDelay(Duration.millis(150));
            tip.getStyleClass().add("token-tooltip");
            Tooltip.install(t, tip);
        }
        flow.getChildren().add(t);
    }

    static String describe(TokenPiece piece) {
        StringBuilder b = new StringBuilder();
        b.append(quote(piece.text())).append("  ").append(percent(piece.probability()));
        if (!piece.alternatives().isEmpty()) {
            b.append("\nAlternatives:");
            for (TokenPiece.Alternative a : piece.alternatives()) {
                b.append("\n  ").append(quote(a.text())).append("  ").append(percent(Math.exp(a.logprob())));
            }
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p * 100);
    }
}
