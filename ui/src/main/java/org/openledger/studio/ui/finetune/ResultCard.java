package org.openledger.studio.ui.finetune;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;

/** What the shown job is or made: status, adapter id, losses and perplexities, rows, tokens, duration. */
final class ResultCard extends VBox {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final FineTuneViewModel model;
    private final Label status = new Label();
    private final GridPane facts = new GridPane();
    private final Label error = new Label();
    private final Label extras = new Label();

    ResultCard(FineTuneViewModel model) {
        this.model = model;
        setId("finetune-result");
        getStyleClass().add("finetune-card");
        setSpacing(8);
        status.setId("finetune-result-status");
        status.getStyleClass().add("title-4");
        facts.setHgap(12);
        facts.setVgap(4);
        error.setId("finetune-result-error");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        extras.setId("finetune-result-extras");
        extras.getStyleClass().add("text-muted");
        extras.setWrapText(true);
        extras.textProperty().bind(model.monitor().extrasProperty());
        extras.managedProperty().bind(extras.textProperty().isNotEmpty());
        Button open = new Button("Open in Playground", new FontIcon(MaterialDesignC.CHAT_OUTLINE));
        open.setId("finetune-open-playground");
        open.getStyleClass().add("accent");
        open.setOnAction(e -> model.openInPlayground());
        open.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            FineTuneJob j = model.monitor().jobProperty().get();
            return j == null || !"succeeded".equals(j.status()) || j.fineTunedModel() == null;
        }, model.monitor().jobProperty()));
        Publishing pub = model.publishing();
        Button publish = new Button("Publish to ModelRegistry", new FontIcon(MaterialDesignU.UPLOAD_NETWORK));
        publish.setId("finetune-publish");
        publish.setOnAction(e -> pub.publish());
        publish.disableProperty().bind(pub.blockerProperty().isNotEmpty().or(pub.busyProperty()));
        // a disabled button shows no tooltip of its own: the reason is also said under it
        Tooltip why = new Tooltip();
        why.textProperty().bind(pub.blockerProperty());
        publish.tooltipProperty().bind(javafx.beans.binding.Bindings.when(pub.blockerProperty().isEmpty())
                .then((Tooltip) null).otherwise(why));
        Label note = new Label();
        note.setId("finetune-publish-note");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.textProperty().bind(pub.blockerProperty());
        // the note only for a succeeded job, where the button would otherwise work
        note.visibleProperty().bind(pub.blockerProperty().isNotEmpty().and(javafx.beans.binding.Bindings
                .createBooleanBinding(() -> {
                    FineTuneJob j = model.monitor().jobProperty().get();
                    return j != null && "succeeded".equals(j.status());
                }, model.monitor().jobProperty())));
        note.managedProperty().bind(note.visibleProperty());
        Label published = new Label();
        published.setId("finetune-publish-message");
        published.setWrapText(true);
        published.textProperty().bind(pub.messageProperty());
        pub.failedProperty().addListener((o, a, b) -> {
            published.getStyleClass().remove("form-error");
            if (b) {
                published.getStyleClass().add("form-error");
            }
        });
        published.managedProperty().bind(published.textProperty().isNotEmpty());
        // the actions wrap onto a second line in a narrow card rather than cutting their labels short
        open.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        publish.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(8, 8, open, publish);
        actions.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(status, facts, error, extras, actions, note, published);
        model.monitor().jobProperty().addListener((o, a, b) -> render(b));
        render(null);
    }

    private void render(FineTuneJob j) {
        facts.getChildren().clear();
        error.setVisible(false);
        if (j == null) {
            status.setText("No job selected");
            Label hint = new Label("Start a job, or pick one in the history.");
            hint.getStyleClass().add("text-muted");
            facts.add(hint, 0, 0, 2, 1);
            return;
        }
        status.setText(title(j.status()));
        status.getStyleClass().removeIf(c -> c.startsWith("job-"));
        status.getStyleClass().add("job-" + j.status());
        FineTuneJob.Result r = j.result();
        FineTuneEvent.Metrics last = model.monitor().lastMetrics();
        Double train = r != null && r.trainLoss() != null ? r.trainLoss() : last == null ? null : last.trainLoss();
        int row = 0;
        fact(row++, "Adapter", j.fineTunedModel() == null ? "— (made when the job succeeds)" : j.fineTunedModel())
                .setId("finetune-result-adapter");
        fact(row++, "Job", j.id() + " on " + j.model());
        fact(row++, "Training loss", Units.lossAndPerplexity(train, null)).setId("finetune-result-train");
        fact(row++, "Validation loss", r == null || r.validLoss() == null ? "— (none measured)"
                : Units.lossAndPerplexity(r.validLoss(), r.validPerplexity())).setId("finetune-result-valid");
        if (r != null && r.trainingRows() != null) {
            fact(row++, "Rows", Units.count(r.trainingRows()) + " trained, "
                    + Units.count(r.validationRows() == null ? 0 : r.validationRows()) + " held out"
                    + (r.splitRows() == null || r.splitRows() == 0 ? ""
                    : ", " + Units.count(r.splitRows()) + " longer than the context")).setId("finetune-result-rows");
        }
        if (r != null) {
            fact(row++, "Steps", Units.count(r.steps()) + " of " + Units.count(r.totalSteps()))
                    .setId("finetune-result-steps");
        }
        fact(row++, "Tokens", j.trainedTokens() == null ? "—" : Units.count(j.trainedTokens()))
                .setId("finetune-result-tokens");
        String when = TIME.format(Instant.ofEpochSecond(j.createdAt()));
        fact(row++, "Duration", j.finishedAt() == null ? "started " + when
                : Units.duration(j.finishedAt() - j.createdAt()) + " (started " + when + ")");
        if (j.error() != null && j.error().message() != null) {
            error.setText(j.error().message());
            error.setVisible(true);
        }
    }

    private Label fact(int row, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("details-key");
        Label v = new Label(value);
        v.setWrapText(true);
        facts.add(k, 0, row);
        facts.add(v, 1, row);
        return v;
    }

    static String title(String status) {
        return switch (status) {
            case "queued" -> "Queued";
            case "running" -> "Training";
            case "succeeded" -> "Succeeded";
            case "failed" -> "Failed";
            case "cancelled" -> "Cancelled";
            default -> status;
        };
    }
}
