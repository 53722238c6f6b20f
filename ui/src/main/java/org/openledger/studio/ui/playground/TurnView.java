package org.openledger.studio.ui.playground;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignG;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.ui.attribution.RecordFollower;
import org.openledger.studio.viewer.AttributionRecordView;

/**
 * One message bubble. An assistant message is a flow of tokens; hovering a token shows how likely it was and the
 * alternatives the model weighed.
 */
final class TurnView extends VBox {

    private final TextFlow flow = new TextFlow();

    TurnView(ChatTurn turn, Function<ChatTurn, Optional<RecordFollower>> attribution,
             Consumer<AttributionRecord.Influence> openInDatanets) {
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
        if (turn.role().equals("assistant")) {
            attributionToggle(turn, attribution, openInDatanets);
        }
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

    /**
     * An answer the node attributes gets an "Attribution" toggle under it; turning it on shows the record inline,
     * followed on a background task while the node computes it, turning it off stops following.
     */
    private void attributionToggle(ChatTurn turn, Function<ChatTurn, Optional<RecordFollower>> attribution,
                                   Consumer<AttributionRecord.Influence> openInDatanets) {
        ToggleButton toggle = new ToggleButton("Attribution", new FontIcon(MaterialDesignG.GRAPH_OUTLINE));
        toggle.getStyleClass().addAll("small", "attribution-toggle");
        toggle.visibleProperty().bind(turn.attributionIdProperty().isNotNull());
        toggle.managedProperty().bind(toggle.visibleProperty());
        AttributionRecordView view = new AttributionRecordView(openInDatanets);
        view.setVisible(false);
        view.managedProperty().bind(view.visibleProperty());
        RecordFollower[] following = new RecordFollower[1];
        toggle.selectedProperty().addListener((o, was, on) -> {
            if (following[0] != null) {
                following[0].stop();
                following[0] = null;
            }
            view.setVisible(on);
            if (!on) {
                return;
            }
            view.showLoading();
            Optional<RecordFollower> f = attribution.apply(turn);
            if (f.isEmpty()) {
                view.showError("no node is connected");
                return;
            }
            following[0] = f.get();
            f.get().recordProperty().addListener((x, a, r) -> view.show(r));
            f.get().errorProperty().addListener((x, a, e) -> view.showError(e));
        });
        getChildren().addAll(toggle, view);
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
