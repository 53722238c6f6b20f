package org.openledger.studio.ui.finetune;

import javafx.beans.property.StringProperty;
import javafx.collections.ObservableMap;
import javafx.collections.SetChangeListener;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The hyperparameter fields, two to a row, each with a one-line explanation and its inline error. */
final class SettingsForm extends GridPane {

    private final ObservableMap<String, String> errors;

    SettingsForm(TrainingSettings s, ObservableMap<String, String> errors) {
        this.errors = errors;
        setHgap(14);
        setVgap(10);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        half.setHgrow(Priority.ALWAYS);
        getColumnConstraints().addAll(half, half);
        add(field("Epochs", "Passes over the data (1-50). More fits the data closer.", s.epochsProperty(),
                TrainingSettings.EPOCHS, "epochs"), 0, 0);
        add(field("Batch size", "Windows per micro-batch (1-64). Larger is steadier, needs more memory.",
                s.batchSizeProperty(), TrainingSettings.BATCH, "batch"), 1, 0);
        add(field("Gradient accumulation", "Micro-batches per step (1-64): a larger batch in the same memory.",
                s.accumulationProperty(), TrainingSettings.ACCUMULATION, "accumulation"), 0, 1);
        add(field("LR multiplier", "Times the base learning rate 1e-3 (above 0, at most 10).",
                s.learningRateProperty(), TrainingSettings.LR, "lr"), 1, 1);
        add(field("LoRA rank (r)", "Size of the adapter's factors (1-256). Higher learns more.",
                s.rankProperty(), TrainingSettings.RANK, "rank"), 0, 2);
        add(field("LoRA alpha", "Scales the update by alpha / r; empty = 2 x r.", s.alphaProperty(),
                TrainingSettings.ALPHA, "alpha"), 1, 2);
        add(field("LoRA dropout", "Drops adapter inputs while training (0-0.5) against overfitting.",
                s.dropoutProperty(), TrainingSettings.DROPOUT, "dropout"), 0, 3);
        add(field("Validation split", "Share of documents held out to measure (0 = none).",
                s.validationSplitProperty(), TrainingSettings.SPLIT, "split"), 1, 3);
        add(targets(s), 0, 4, 2, 1);
        add(field("Seed", "Same seed, data and settings = the same adapter; empty = random.", s.seedProperty(),
                TrainingSettings.SEED, "seed"), 0, 5);
        add(field("Suffix", "Part of the adapter's id, e.g. 'poems' (letters, digits, . _ -).",
                s.suffixProperty(), TrainingSettings.SUFFIX, "suffix"), 1, 5);
        add(field("Evaluate every", "Steps between validation losses; empty = a tenth of the steps.",
                s.evalEveryProperty(), TrainingSettings.EVAL_EVERY, "eval-every"), 0, 6);
        add(field("Checkpoint every", "Steps between checkpoints Resume goes on from; empty = the node's.",
                s.checkpointEveryProperty(), TrainingSettings.CHECKPOINT_EVERY, "checkpoint-every"), 1, 6);
    }

    private VBox field(String title, String hint, StringProperty value, String param, String id) {
        Label label = new Label(title);
        label.getStyleClass().add("form-label");
        TextField text = new TextField();
        text.setId("finetune-" + id);
        text.textProperty().bindBidirectional(value);
        VBox box = new VBox(3, label, text, hint(hint), error(param, "finetune-" + id + "-error"));
        errors.addListener((javafx.collections.MapChangeListener<String, String>) c -> {
            if (c.getKey().equals(param)) {
                text.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"),
                        errors.containsKey(param));
            }
        });
        return box;
    }

    private VBox targets(TrainingSettings s) {
        Label label = new Label("Target modules");
        label.getStyleClass().add("form-label");
        FlowPane boxes = new FlowPane(10, 4);
        for (String m : TrainingSettings.MODULES) {
            CheckBox b = new CheckBox(m);
            b.setId("finetune-target-" + m);
            b.setSelected(s.targets().contains(m));
            b.selectedProperty().addListener((o, was, on) -> {
                if (on) {
                    s.targets().add(m);
                } else {
                    s.targets().remove(m);
                }
            });
            s.targets().addListener((SetChangeListener<String>) c -> b.setSelected(s.targets().contains(m)));
            boxes.getChildren().add(b);
        }
        return new VBox(3, label, boxes, hint("Projections that get an adapter: attention (q, k, v, o) and MLP"
                + " (gate, up, down)."), error(TrainingSettings.TARGETS, "finetune-targets-error"));
    }

    static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll("text-muted", "form-hint");
        l.setWrapText(true);
        return l;
    }

    /** A label that shows {@code errors.get(param)} and takes no room while there is none. */
    Label error(String param, String id) {
        return errorLabel(errors, param, id);
    }

    static Label errorLabel(ObservableMap<String, String> errors, String param, String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("form-error");
        l.setWrapText(true);
        l.textProperty().bind(javafx.beans.binding.Bindings.valueAt(errors, param));
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }
}
