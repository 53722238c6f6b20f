package org.openledger.studio.viewer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.openledger.studio.api.attribution.AttributionRecord;

/**
 * One attribution record: a header (model, state, rows scored, seconds), then by state "attributing…" with a
 * progress indicator, the error of a failed record, or the answer with its matched spans and the influential rows.
 */
public final class AttributionRecordView extends VBox {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final Label model = new Label();
    private final Label state = new Label();
    private final Label facts = new Label();
    private final VBox body = new VBox(10);
    private final AttributedText text = new AttributedText();
    private final InfluencePanel influence;

    /** @param openInDatanets shows an influential row's Datanet; null hides that button */
    public AttributionRecordView(Consumer<AttributionRecord.Influence> openInDatanets) {
        super(10);
        getStyleClass().add("attribution-record");
        Palette.style(this);
        influence = new InfluencePanel(openInDatanets);
        model.getStyleClass().add("attr-model");
        state.getStyleClass().add("attr-state");
        state.setId("attribution-state");
        facts.getStyleClass().add("text-muted");
        state.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox title = new HBox(10, model, state);
        title.setAlignment(Pos.CENTER_LEFT);
        facts.setWrapText(true);
        VBox header = new VBox(2, title, facts);
        header.getStyleClass().add("attr-header");
        getChildren().addAll(header, body);
    }

    /** Before the first answer of the node: nothing known but that it is coming. */
    public void showLoading() {
        model.setText("");
        facts.setText("");
        setState("pending");
        body.getChildren().setAll(attributing());
    }

    /** The record could not be read (the node is gone, the id unknown). */
    public void showError(String message) {
        setState("failed");
        body.getChildren().setAll(error("Could not read the attribution: " + message));
    }

    public void show(AttributionRecord r) {
        model.setText(r.model() == null ? "" : r.model());
        StringBuilder f = new StringBuilder();
        if (r.createdAt() != null) {
            f.append(TIME.format(Instant.ofEpochSecond(r.createdAt())));
        }
        if (r.rowsScored() != null) {
            f.append(f.isEmpty() ? "" : " · ").append(r.rowsScored()).append(" rows scored");
        }
        if (r.seconds() != null) {
            f.append(f.isEmpty() ? "" : " · ").append(String.format(Locale.ROOT, "%.2f s", r.seconds()));
        }
        facts.setText(f.toString());
        setState(r.state());
        switch (r.state() == null ? "" : r.state()) {
            case "pending" -> body.getChildren().setAll(attributing());
            case "done" -> {
                text.show(r);
                influence.show(r);
                Label spans = new Label(r.spans() == null || r.spans().isEmpty()
                        ? "No part of the answer was found verbatim in the node's rows."
                        : "Highlighted: parts found verbatim in the node's rows (hover for the rows).");
                spans.getStyleClass().add("text-muted");
                spans.setWrapText(true);
                body.getChildren().setAll(text, spans, influence);
            }
            default -> body.getChildren().setAll(error(r.error() == null ? "The node could not attribute this answer."
                    : r.error()));
        }
    }

    public AttributedText attributedText() {
        return text;
    }

    public InfluencePanel influencePanel() {
        return influence;
    }

    private void setState(String s) {
        String shown = s == null ? "unknown" : s;
        state.setText(shown.equals("pending") ? "attributing…" : shown);
        state.getStyleClass().removeIf(c -> c.startsWith("attr-state-"));
        state.getStyleClass().add("attr-state-" + shown);
    }

    private static HBox attributing() {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(22, 22);
        Label l = new Label("attributing… the node is scoring its training rows against this answer");
        l.getStyleClass().add("text-muted");
        l.setWrapText(true);
        HBox box = new HBox(10, spinner, l);
        box.setId("attribution-pending");
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static Label error(String message) {
        Label l = new Label(message);
        l.setId("attribution-error");
        l.getStyleClass().add("attr-error");
        l.setWrapText(true);
        return l;
    }
}
