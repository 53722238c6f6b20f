package org.openledger.studio.ui.attribution;

import java.io.File;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.viewer.AttributionRecordView;
import org.openledger.studio.viewer.Formats;

/**
 * The Attribution section: the active node's attributed answers in a table with filters, the selected one's record
 * in full, the node's influence indexes with Rebuild, and a CSV export; and, in a tab of its own, the Earnings of
 * the wallet's accounts ({@link EarningsPane}).
 */
public final class AttributionView extends BorderPane {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final AttributionViewModel model;

    /** {@code earnings} is the Earnings pane (or what says why there is none), shown in its own tab. */
    public AttributionView(AttributionViewModel model, Consumer<AttributionRecord.Influence> openInDatanets,
                           Node earnings) {
        this.model = model;
        getStyleClass().add("section-view");
        setPadding(new Insets(20));

        Label title = new Label("Attribution");
        title.getStyleClass().add("title-2");
        TextField byModel = filter("attribution-filter-model", "Model or adapter", model.modelFilterProperty());
        TextField byDatanet = filter("attribution-filter-datanet", "Datanet id", model.datanetFilterProperty());
        TextField byContributor = filter("attribution-filter-contributor", "Contributor address",
                model.contributorFilterProperty());
        Button refresh = new Button("Refresh", new FontIcon(MaterialDesignR.REFRESH));
        refresh.setId("attribution-refresh");
        refresh.setDefaultButton(true);
        refresh.disableProperty().bind(model.loadingProperty());
        refresh.setOnAction(e -> model.refresh());
        Button export = new Button("Export CSV", new FontIcon(MaterialDesignF.FILE_DELIMITED_OUTLINE));
        export.setId("attribution-export");
        export.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.records()));
        export.setOnAction(e -> export());
        HBox filters = new HBox(8, byModel, byDatanet, byContributor, refresh, export);
        filters.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("attribution-status");
        status.getStyleClass().add("text-muted");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());
        title.setPadding(new Insets(0, 0, 8, 0));
        setTop(title);
        VBox filtersBox = new VBox(8, filters, status);
        filtersBox.setPadding(new Insets(12, 0, 12, 0));

        Label indexesTitle = new Label("Influence indexes");
        indexesTitle.getStyleClass().add("title-4");
        VBox left = new VBox(8, records(), indexesTitle, indexes());
        VBox.setVgrow(left.getChildren().get(0), Priority.ALWAYS);
        SplitPane split = new SplitPane(left, detail(openInDatanets));
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.42);
        BorderPane answers = new BorderPane(split);
        answers.setTop(filtersBox);
        Tab answersTab = new Tab("Attributed answers", answers);
        answersTab.setId("attribution-tab-answers");
        Tab earningsTab = new Tab("Earnings", earnings);
        earningsTab.setId("attribution-tab-earnings");
        TabPane tabs = new TabPane(answersTab, earningsTab);
        tabs.setId("attribution-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setCenter(tabs);

        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.refresh();
            } else {
                model.stop();
            }
        });
    }

    private static TextField filter(String id, String prompt, javafx.beans.property.StringProperty bound) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.setPrefWidth(190);
        f.textProperty().bindBidirectional(bound);
        return f;
    }

    private TableView<AttributionRecord> records() {
        TableView<AttributionRecord> table = new TableView<>(model.records());
        table.setId("attribution-records");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No attributed answers"));
        table.getColumns().add(column("Time", 110, r -> r.createdAt() == null ? ""
                : TIME.format(Instant.ofEpochSecond(r.createdAt()))));
        table.getColumns().add(column("Model", 130, AttributionRecord::model));
        table.getColumns().add(column("Answer", 200, r -> Formats.firstWords(r.completion(), 8)));
        table.getColumns().add(column("Rows", 55, r -> r.rowsScored() == null ? "" : r.rowsScored().toString()));
        table.getColumns().add(column("Top source", 100, r -> r.influence() == null || r.influence().isEmpty() ? ""
                : r.influence().get(0).source()));
        table.getColumns().add(column("State", 70, AttributionRecord::state));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && b != model.selectedProperty().get()) {
                model.select(b);
            }
        });
        model.selectedProperty().addListener((o, a, b) -> {
            if (b == null) {
                table.getSelectionModel().clearSelection();
            } else if (table.getSelectionModel().getSelectedItem() != b && table.getItems().contains(b)) {
                table.getSelectionModel().select(b);
            }
        });
        return table;
    }

    private TableView<InfluenceIndexInfo> indexes() {
        TableView<InfluenceIndexInfo> table = new TableView<>(model.indexes());
        table.setId("attribution-indexes");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(170);
        table.setMinHeight(120);
        table.setPlaceholder(new Label("The node has no influence index: fine-tune an adapter on it"));
        table.getColumns().add(column("Adapter", 150, InfluenceIndexInfo::adapter));
        table.getColumns().add(column("State", 70, i -> i.error() == null ? i.state() : i.state() + ": " + i.error()));
        table.getColumns().add(column("Rows", 50, i -> i.rows() == null ? "" : i.rows().toString()));
        table.getColumns().add(column("Done", 50, i -> i.rowsDone() == null ? "" : i.rowsDone().toString()));
        table.getColumns().add(column("k", 45, i -> i.k() == null ? "" : i.k().toString()));
        table.getColumns().add(column("Build s", 60, i -> i.buildSeconds() == null ? ""
                : String.format(Locale.ROOT, "%.1f", i.buildSeconds())));
        TableColumn<InfluenceIndexInfo, InfluenceIndexInfo> rebuild = new TableColumn<>("");
        rebuild.setPrefWidth(80);
        rebuild.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        rebuild.setCellFactory(c -> new TableCell<>() {
            private final Button button = new Button("Rebuild");

            @Override
            protected void updateItem(InfluenceIndexInfo info, boolean empty) {
                super.updateItem(info, empty);
                if (empty || info == null) {
                    setGraphic(null);
                    return;
                }
                button.getStyleClass().setAll("button", "small");
                button.setDisable("queued".equals(info.state()) || "building".equals(info.state()));
                button.setOnAction(e -> model.rebuild(info.adapter()));
                setGraphic(button);
            }
        });
        table.getColumns().add(rebuild);
        return table;
    }

    private ScrollPane detail(Consumer<AttributionRecord.Influence> openInDatanets) {
        AttributionRecordView record = new AttributionRecordView(openInDatanets);
        record.setId("attribution-detail");
        Label none = new Label("Select an attributed answer to see where it came from.");
        none.getStyleClass().add("text-muted");
        StackPane holder = new StackPane(none);
        holder.setAlignment(Pos.TOP_LEFT);
        holder.setPadding(new Insets(0, 0, 0, 12));
        model.selectedProperty().addListener((o, a, r) -> {
            if (r == null) {
                holder.getChildren().setAll(none);
            } else {
                record.show(r);
                holder.getChildren().setAll(record);
            }
        });
        ScrollPane scroll = new ScrollPane(holder);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    private void export() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export attributions");
        chooser.setInitialFileName("attributions.csv");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        File file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file != null) {
            model.export(file.toPath());
        }
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        return c;
    }
}
