package org.openledger.studio.ui.playground;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/** The Playground section: one or two conversations, a prompt box, sampling settings. */
public final class PlaygroundView extends BorderPane {

    private final PlaygroundViewModel model;

    public PlaygroundView(PlaygroundViewModel model) {
        this.model = model;
        getStyleClass().add("section-view");
        setPadding(new Insets(20));

        Label title = new Label("Playground");
        title.getStyleClass().add("title-2");
        Label status = new Label();
        status.setId("playground-status");
        status.getStyleClass().add("text-muted");
        status.textProperty().bind(model.statusProperty());
        status.setWrapText(true);

        ComboBox<String> left = modelPicker("playground-model-left");
        left.valueProperty().bindBidirectional(model.left().modelProperty());
        ComboBox<String> right = modelPicker("playground-model-right");
        right.valueProperty().bindBidirectional(model.right().modelProperty());
        CheckBox compare = new CheckBox("Compare with");
        compare.setId("playground-compare");
        compare.selectedProperty().bindBidirectional(model.compareProperty());
        right.disableProperty().bind(compare.selectedProperty().not());

        Slider temperature = new Slider(0, 2, model.temperatureProperty().get());
        temperature.valueProperty().bindBidirectional(model.temperatureProperty());
        temperature.setPrefWidth(110);
        Label tLabel = new Label();
        tLabel.textProperty().bind(Bindings.format("Temperature %.1f", model.temperatureProperty()));
        Spinner<Integer> max = new Spinner<>(1, 2048, model.maxTokensProperty().get(), 16);
        max.setEditable(true);
        max.setPrefWidth(90);
        max.valueProperty().addListener((o, a, b) -> model.maxTokensProperty().set(b));
        Button refresh = new Button(null, new FontIcon(MaterialDesignR.REFRESH));
        refresh.setId("playground-refresh");
        refresh.setOnAction(e -> model.refreshModels());
        Button clear = new Button("Clear", new FontIcon(MaterialDesignD.DELETE_SWEEP_OUTLINE));
        clear.setOnAction(e -> model.clear());

        HBox settings = new HBox(10, new Label("Model"), left, refresh, compare, right, tLabel, temperature,
                new Label("Max tokens"), max, clear);
        settings.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(8, title, settings, status);
        top.setPadding(new Insets(0, 0, 12, 0));
        setTop(top);

        HBox columns = new HBox(12, transcript(model.left(), "playground-left"),
                transcript(model.right(), "playground-right"));
        columns.getChildren().get(1).visibleProperty().bind(model.compareProperty());
        columns.getChildren().get(1).managedProperty().bind(model.compareProperty());
        columns.getChildren().forEach(n -> HBox.setHgrow(n, Priority.ALWAYS));
        setCenter(columns);

        TextArea input = new TextArea();
        input.setId("playground-input");
        input.setPromptText("Write a message — Ctrl+Enter sends");
        input.setPrefRowCount(3);
        input.setWrapText(true);
        Button send = new Button("Send", new FontIcon(MaterialDesignS.SEND));
        send.setId("playground-send");
        send.setDefaultButton(false);
        send.disableProperty().bind(model.busyProperty().or(input.textProperty().isEmpty()));
        send.setOnAction(e -> {
            model.send(input.getText());
            input.clear();
        });
        input.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown() && !send.isDisabled()) {
                send.fire();
                e.consume();
            }
        });
        Button stop = new Button("Stop", new FontIcon(MaterialDesignS.STOP));
        stop.setId("playground-stop");
        stop.disableProperty().bind(model.busyProperty().not());
        stop.setOnAction(e -> model.stop());
        VBox buttons = new VBox(6, send, stop);
        HBox bottom = new HBox(8, input, buttons);
        HBox.setHgrow(input, Priority.ALWAYS);
        bottom.setPadding(new Insets(12, 0, 0, 0));
        setBottom(bottom);

        sceneProperty().addListener((o, a, b) -> {
            if (b != null && model.models().isEmpty()) {
                model.refreshModels();
            }
        });
    }

    private ComboBox<String> modelPicker(String id) {
        ComboBox<String> box = new ComboBox<>(model.models());
        box.setId(id);
        box.setPrefWidth(200);
        box.setPromptText("no model");
        return box;
    }

    private ScrollPane transcript(Conversation conversation, String id) {
        VBox turns = new VBox(10);
        turns.getStyleClass().add("chat-transcript");
        turns.setPadding(new Insets(12));
        turns.setId(id);
        conversation.turns().addListener((ListChangeListener<ChatTurn>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && conversation.turns().isEmpty()) {
                    turns.getChildren().clear();
                }
                c.getAddedSubList().forEach(t -> turns.getChildren().add(new TurnView(t, model::attribution,
                        model.openInDatanets())));
            }
        });
        ScrollPane scroll = new ScrollPane(turns);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("chat-scroll");
        turns.heightProperty().addListener((o, a, b) -> scroll.setVvalue(1.0));
        return scroll;
    }
}
