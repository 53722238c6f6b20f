package org.openledger.studio.ui.finetune;

import java.io.File;
import java.time.Instant;
import javafx.animation.PauseTransition;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.ui.finetune.FineTuneViewModel.DataSource;

/**
 * The Fine-tune section: on the left the job's base model, data and settings with the node's estimate and Start;
 * on the right the shown job's loss chart, progress, Cancel/Resume, its result and the node's job history.
 */
public final class FineTuneView extends BorderPane {

    /** Typing pauses this long before the estimate is asked again. */
    private static final Duration ESTIMATE_DELAY = Duration.millis(400);

    private final FineTuneViewModel model;
    private final javafx.scene.Node chainReview;

    public FineTuneView(FineTuneViewModel model) {
        this(model, null);
    }

    /**
     * @param chainReview the wallet's transaction review, shown under the result while a publication is under
     *                    review; null without a wallet
     */
    public FineTuneView(FineTuneViewModel model, javafx.scene.Node chainReview) {
        this.model = model;
        this.chainReview = chainReview;
        setId("finetune-view");
        getStyleClass().addAll("section-view", "finetune-view");
        setPadding(new Insets(20));
        Label title = new Label("Fine-tune");
        title.getStyleClass().add("title-2");
        Label message = new Label();
        message.setId("finetune-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        Button refresh = new Button(null, new FontIcon(MaterialDesignR.REFRESH));
        refresh.setId("finetune-refresh");
        refresh.getStyleClass().add("flat");
        refresh.setOnAction(e -> model.refresh());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(10, title, gap, refresh);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(6, head, message);
        top.setPadding(new Insets(0, 0, 12, 0));
        setTop(top);

        ScrollPane scroll = new ScrollPane(form());
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("finetune-form-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        // Start stays in sight however long the form
        VBox left = new VBox(10, scroll, startButton());
        left.setMinWidth(380);
        left.setPadding(new Insets(0, 12, 0, 0));
        SplitPane split = new SplitPane(left, job());
        split.setDividerPositions(0.42);
        SplitPane.setResizableWithParent(left, false);
        setCenter(split);

        PauseTransition debounce = new PauseTransition(ESTIMATE_DELAY);
        debounce.setOnFinished(e -> model.estimate());
        for (Observable o : model.settings().inputs()) {
            o.addListener(x -> debounce.playFromStart());
        }
        model.modelProperty().addListener(x -> debounce.playFromStart());
        model.sourceProperty().addListener(x -> debounce.playFromStart());
        model.datanets().addListener((ListChangeListener<DatanetChoice>) c -> debounce.playFromStart());

        sceneProperty().addListener((o, a, b) -> {
            if (b != null && model.models().isEmpty()) {
                model.refresh();
            }
        });
    }

    public FineTuneViewModel model() {
        return model;
    }

    private VBox form() {
        Label modelLabel = new Label("Base model");
        modelLabel.getStyleClass().add("form-label");
        ComboBox<String> base = new ComboBox<>(model.models());
        base.setId("finetune-model");
        base.setPromptText("no base model");
        base.setMaxWidth(Double.MAX_VALUE);
        base.valueProperty().bindBidirectional(model.modelProperty());
        VBox modelBox = new VBox(3, modelLabel, base, SettingsForm.hint("The node's base model the adapter is"
                + " trained for; the adapter is served on it."), SettingsForm.errorLabel(model.errors(),
                FineTuneViewModel.MODEL, "finetune-model-error"));

        VBox settings = new VBox(3, sectionLabel("Hyperparameters"), new SettingsForm(model.settings(), model.errors()));
        VBox form = new VBox(16, modelBox, data(), settings, estimate());
        form.setPadding(new Insets(4, 16, 16, 4));
        return form;
    }

    private Button startButton() {
        Button start = new Button("Start fine-tuning", new FontIcon(MaterialDesignP.PLAY));
        start.setId("finetune-start");
        start.getStyleClass().add("accent");
        start.setMaxWidth(Double.MAX_VALUE);
        start.disableProperty().bind(model.startingProperty());
        start.setOnAction(e -> model.start());
        return start;
    }

    private VBox data() {
        ToggleGroup group = new ToggleGroup();
        RadioButton fromFile = new RadioButton("A file on this computer (.jsonl or .txt)");
        fromFile.setId("finetune-source-file");
        fromFile.setToggleGroup(group);
        RadioButton fromDatanets = new RadioButton("Datanets on the node");
        fromDatanets.setId("finetune-source-datanets");
        fromDatanets.setToggleGroup(group);
        group.selectToggle(model.sourceProperty().get() == DataSource.FILE ? fromFile : fromDatanets);
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                model.sourceProperty().set(b == fromFile ? DataSource.FILE : DataSource.DATANETS);
            }
        });

        Button choose = new Button("Choose file…", new FontIcon(MaterialDesignF.FILE_OUTLINE));
        choose.setId("finetune-choose-file");
        choose.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Training data");
            chooser.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter("Training data (*.jsonl, *.txt)", "*.jsonl", "*.txt"),
                    new FileChooser.ExtensionFilter("All files", "*.*"));
            File f = chooser.showOpenDialog(getScene().getWindow());
            if (f != null) {
                model.chooseFile(f.toPath());
            }
        });
        Label fileName = new Label();
        fileName.setId("finetune-file");
        fileName.getStyleClass().add("text-muted");
        fileName.textProperty().bind(model.fileSummaryProperty());
        HBox fileRow = new HBox(8, choose, fileName);
        fileRow.setAlignment(Pos.CENTER_LEFT);
        VBox fileBox = new VBox(3, fileRow, SettingsForm.hint("JSON lines of {\"prompt\",\"response\"},"
                + " {\"instruction\",\"input\",\"output\"} or {\"text\"}, or plain text. Pairs learn only"
                + " their responses."), SettingsForm.errorLabel(model.errors(),
                FineTuneViewModel.TRAINING_TEXT, "finetune-data-error"));

        VBox ticks = new VBox(4);
        ticks.setId("finetune-datanets");
        model.datanets().addListener((ListChangeListener<DatanetChoice>) c -> {
            ticks.getChildren().clear();
            for (DatanetChoice d : model.datanets()) {
                CheckBox b = new CheckBox(d.label());
                b.selectedProperty().bindBidirectional(d.selectedProperty());
                b.selectedProperty().addListener(x -> model.estimate());
                ticks.getChildren().add(b);
            }
        });
        Label note = new Label();
        note.setId("finetune-datanets-note");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.textProperty().bind(model.datanetNoteProperty());
        note.managedProperty().bind(note.textProperty().isNotEmpty());
        VBox datanetBox = new VBox(4, ticks, note, SettingsForm.hint("Rows you uploaded in Datanets; the job records"
                + " which rows it trained on."), SettingsForm.errorLabel(model.errors(), FineTuneViewModel.DATANETS,
                "finetune-datanets-error"));

        fileBox.visibleProperty().bind(model.sourceProperty().isEqualTo(DataSource.FILE));
        fileBox.managedProperty().bind(fileBox.visibleProperty());
        datanetBox.visibleProperty().bind(model.sourceProperty().isEqualTo(DataSource.DATANETS));
        datanetBox.managedProperty().bind(datanetBox.visibleProperty());
        return new VBox(6, sectionLabel("Training data"), new VBox(4, fromFile, fromDatanets), fileBox, datanetBox);
    }

    private VBox estimate() {
        Label text = new Label();
        text.setId("finetune-estimate");
        text.setWrapText(true);
        text.textProperty().bind(model.estimateProperty());
        Label warnings = new Label();
        warnings.setId("finetune-estimate-warnings");
        warnings.getStyleClass().add("estimate-warning");
        warnings.setWrapText(true);
        warnings.textProperty().bind(model.estimateWarningsProperty());
        warnings.managedProperty().bind(warnings.textProperty().isNotEmpty());
        ProgressBar busy = new ProgressBar(-1);
        busy.setPrefWidth(60);
        busy.visibleProperty().bind(model.estimatingProperty());
        HBox head = new HBox(8, sectionLabel("Estimate"), busy);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, head, text, warnings);
        box.getStyleClass().add("finetune-card");
        return box;
    }

    private VBox job() {
        LossChart chart = new LossChart(model.monitor());
        VBox.setVgrow(chart, Priority.ALWAYS);
        JobMonitor m = model.monitor();
        ProgressBar bar = new ProgressBar();
        bar.setId("finetune-progress");
        bar.progressProperty().bind(m.progressProperty());
        bar.setPrefWidth(220);
        Label step = label("finetune-step", m.stepProperty());
        Label speed = label("finetune-speed", m.speedProperty());
        Label eta = label("finetune-eta", m.etaProperty());
        Button cancel = new Button("Cancel", new FontIcon(MaterialDesignS.STOP));
        cancel.setId("finetune-cancel");
        cancel.disableProperty().bind(Bindings.createBooleanBinding(() -> m.jobProperty().get() == null
                || m.jobProperty().get().finished(), m.jobProperty()));
        cancel.setOnAction(e -> model.cancel());
        Button resume = new Button("Resume", new FontIcon(MaterialDesignP.PLAY_CIRCLE_OUTLINE));
        resume.setId("finetune-resume");
        resume.visibleProperty().bind(Bindings.createBooleanBinding(() -> {
            FineTuneJob j = m.jobProperty().get();
            return model.resumeSupportedProperty().get() && j != null && Boolean.TRUE.equals(j.resumable())
                    && ("cancelled".equals(j.status()) || "failed".equals(j.status()));
        }, m.jobProperty(), model.resumeSupportedProperty()));
        resume.managedProperty().bind(resume.visibleProperty());
        resume.setOnAction(e -> model.resume());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox progress = new HBox(12, bar, step, speed, eta, gap, resume, cancel);
        progress.setAlignment(Pos.CENTER_LEFT);
        Label jobError = label("finetune-job-error", m.errorProperty());
        jobError.getStyleClass().add("form-error");
        jobError.managedProperty().bind(jobError.textProperty().isNotEmpty());

        ResultCard result = new ResultCard(model);
        result.setPrefWidth(420);
        HBox.setHgrow(result, Priority.ALWAYS);
        VBox history = history();
        HBox bottom = new HBox(12, result, history);
        VBox box = new VBox(10, chart, progress, jobError, bottom);
        if (chainReview != null) {
            box.getChildren().add(chainReview);
        }
        box.setPadding(new Insets(4, 4, 4, 16));
        return box;
    }

    private VBox history() {
        ListView<FineTuneJob> list = new ListView<>(model.jobs());
        list.setId("finetune-history");
        list.setPrefWidth(300);
        list.setPrefHeight(220);
        list.setPlaceholder(new Label("No jobs on this node yet"));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FineTuneJob j, boolean empty) {
                super.updateItem(j, empty);
                if (empty || j == null) {
                    setText(null);
                    return;
                }
                String name = j.fineTunedModel() != null ? j.fineTunedModel()
                        : j.userProvidedSuffix() != null ? j.userProvidedSuffix() : j.id();
                setText(ResultCard.title(j.status()) + " · " + name + "\n" + j.id() + " · "
                        + ResultCard.TIME.format(Instant.ofEpochSecond(j.createdAt())));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> model.select(b));
        VBox.setVgrow(list, Priority.ALWAYS);
        return new VBox(6, sectionLabel("Jobs on this node"), list);
    }

    private static Label label(String id, javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.setId(id);
        l.textProperty().bind(text);
        return l;
    }

    private static Label sectionLabel(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title-4");
        return l;
    }
}
