package org.openledger.studio.ui.datanet;

import java.io.File;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.RowStatus;

/**
 * The Datanets section: Datanets on the left; on the right the curation table of the selected one (search, status
 * filter, badges, preview, accept/reject), adding files (chooser or drag and drop), upload with pause, and the
 * contribution history.
 */
public final class DatanetsView extends BorderPane {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    public DatanetsView(DatanetsViewModel vm) {
        this(vm, null);
    }

    /**
     * @param chainReview the wallet's transaction review, shown here while a publish or submit is under review;
     *                    null without a wallet
     */
    public DatanetsView(DatanetsViewModel vm, javafx.scene.Node chainReview) {
        getStyleClass().add("datanets-view");
        setId("datanets-view");

        ListView<Datanet> list = new ListView<>(vm.datanets());
        list.setId("datanet-list");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Datanet d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.name() + (d.summary().isBlank() ? "" : "\n" + d.summary()));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectedProperty().set(b);
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> list.getSelectionModel().select(b));
        Button create = new Button("New Datanet…");
        create.setId("datanet-create");
        create.setOnAction(e -> {
            TextInputDialog ask = new TextInputDialog();
            ask.setTitle("New Datanet");
            ask.setHeaderText("Name of the new Datanet");
            ask.initOwner(getScene() == null ? null : getScene().getWindow());
            ask.showAndWait().filter(n -> !n.isBlank()).ifPresent(n -> vm.create(n.strip(), "", "CC-BY-4.0"));
        });
        create.setMaxWidth(Double.MAX_VALUE);
        VBox left = new VBox(8, new Label("Datanets"), list, create);
        left.setPadding(new Insets(8));
        VBox.setVgrow(list, Priority.ALWAYS);

        TableView<RowItem> table = new TableView<>(vm.rows());
        table.setId("datanet-rows");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label("No rows: add files (" + Ingest.SUPPORTED + ") or drop them here"));
        table.getColumns().add(column("Row", 60, r -> r.id()));
        table.getColumns().add(column("Source", 160, RowItem::source));
        table.getColumns().add(column("Status", 80, r -> r.status().name().toLowerCase()));
        TableColumn<RowItem, Object> badges = column("Checks", 220, RowItem::badges);
        badges.setId("datanet-badges");
        table.getColumns().add(badges);
        table.getColumns().add(column("Text", 420, r -> r.text().replace('\n', ' ')));
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(RowItem r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll("row-secret", "row-duplicate", "row-rejected");
                if (!empty && r != null) {
                    if (!r.secrets().isEmpty()) {
                        getStyleClass().add("row-secret");
                    } else if (!r.duplicate().isEmpty()) {
                        getStyleClass().add("row-duplicate");
                    }
                    if (r.status() == RowStatus.REJECTED) {
                        getStyleClass().add("row-rejected");
                    }
                }
            }
        });
        table.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && vm.selectedProperty().get() != null) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        table.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                vm.addFiles(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            }
            e.setDropCompleted(ok);
            e.consume();
        });

        TextArea preview = new TextArea();
        preview.setId("datanet-preview");
        preview.setEditable(false);
        preview.setWrapText(true);
        preview.setPrefRowCount(5);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) ->
                preview.setText(r == null ? "" : r.source() + "\n\n" + r.text()));

        Button add = new Button("Add files…");
        add.setId("datanet-add");
        add.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Add files to the Datanet");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Text, JSONL, CSV, PDF, DOCX",
                    "*.txt", "*.md", "*.jsonl", "*.csv", "*.pdf", "*.docx"));
            List<File> chosen = chooser.showOpenMultipleDialog(getScene().getWindow());
            if (chosen != null) {
                vm.addFiles(chosen.stream().map(File::toPath).toList());
            }
        });
        TextField search = new TextField();
        search.setId("datanet-search");
        search.setPromptText("Search rows (all words; word* for a prefix)");
        search.setOnAction(e -> vm.searchProperty().set(search.getText()));
        HBox.setHgrow(search, Priority.ALWAYS);
        ChoiceBox<RowStatus> status = new ChoiceBox<>();
        status.setId("datanet-status-filter");
        status.getItems().addAll(null, RowStatus.PENDING, RowStatus.ACCEPTED, RowStatus.REJECTED);
        status.setConverter(new StringConverter<>() {
            @Override
            public String toString(RowStatus s) {
                return s == null ? "All rows" : s.name().charAt(0) + s.name().substring(1).toLowerCase();
            }

            @Override
            public RowStatus fromString(String s) {
                return null;
            }
        });
        status.valueProperty().bindBidirectional(vm.statusFilterProperty());
        Button accept = new Button("Accept");
        accept.setId("datanet-accept");
        Button reject = new Button("Reject");
        reject.setId("datanet-reject");
        accept.setOnAction(e -> vm.setStatus(selectedIds(table), RowStatus.ACCEPTED));
        reject.setOnAction(e -> vm.setStatus(selectedIds(table), RowStatus.REJECTED));
        accept.disableProperty().bind(Bindings.isEmpty(table.getSelectionModel().getSelectedItems()));
        reject.disableProperty().bind(accept.disableProperty());
        add.disableProperty().bind(vm.selectedProperty().isNull().or(vm.busyProperty()));
        HBox tools = new HBox(8, add, search, status, accept, reject);

        Button upload = new Button("Upload");
        upload.setId("datanet-upload");
        upload.getStyleClass().add("accent");
        upload.setOnAction(e -> vm.upload());
        upload.disableProperty().bind(vm.selectedProperty().isNull().or(vm.uploadingProperty()));
        Button pause = new Button("Pause");
        pause.setId("datanet-pause");
        pause.setOnAction(e -> vm.pause());
        pause.disableProperty().bind(vm.uploadingProperty().not());
        ProgressBar bar = new ProgressBar();
        bar.setId("datanet-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label message = new Label();
        message.setId("datanet-message");
        message.textProperty().bind(vm.messageProperty());
        message.setWrapText(true);
        Label error = new Label();
        error.setId("datanet-error");
        error.getStyleClass().add("danger");
        error.textProperty().bind(vm.errorProperty());
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        HBox uploadBar = new HBox(8, upload, pause, bar);

        ListView<ContributionItem> history = new ListView<>(vm.history());
        history.setId("datanet-history");
        history.setPrefHeight(110);
        history.setPlaceholder(new Label("No contributions yet"));
        history.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(ContributionItem c, boolean empty) {
                super.updateItem(c, empty);
                UploadState s = c == null ? null : c.upload();
                setText(empty || s == null ? null : "Contribution " + s.uploadId() + " · " + s.rows() + " rows · "
                        + s.stage().name().toLowerCase() + " (" + s.chunksSent() + "/" + s.chunksTotal()
                        + " chunks) · " + TIME.format(s.createdAt()) + " · root " + s.merkleRoot().substring(0, 10)
                        + "… · on chain: " + c.chain().describe());
            }
        });
        Button publish = new Button("Publish on chain");
        publish.setId("datanet-publish");
        publish.setOnAction(e -> vm.publish());
        publish.disableProperty().bind(vm.selectedProperty().isNull().or(vm.onChainBusyProperty()));
        TextField stake = new TextField();
        stake.setId("datanet-stake");
        stake.setPromptText("Stake (OPEN, optional)");
        stake.setPrefColumnCount(12);
        Button submit = new Button("Submit on chain");
        submit.setId("datanet-submit");
        submit.setOnAction(e -> {
            ContributionItem c = history.getSelectionModel().getSelectedItem();
            if (c != null) {
                vm.submit(c.upload().uploadId(), stake.getText());
            }
        });
        submit.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            ContributionItem c = history.getSelectionModel().getSelectedItem();
            return c == null || !c.submittable();
        }, history.getSelectionModel().selectedItemProperty()).or(vm.onChainBusyProperty()));
        HBox chainBar = new HBox(8, publish, stake, submit);
        chainBar.setVisible(vm.hasChain());
        chainBar.managedProperty().bind(chainBar.visibleProperty());

        SplitPane tableAndPreview = new SplitPane(table, preview);
        tableAndPreview.setOrientation(Orientation.VERTICAL);
        tableAndPreview.setDividerPositions(0.72);
        VBox right = new VBox(8, tools, error, tableAndPreview, message, uploadBar, new Label("Contributions"), history,
                chainBar);
        if (chainReview != null) {
            right.getChildren().add(chainReview);
        }
        right.setPadding(new Insets(8));
        VBox.setVgrow(tableAndPreview, Priority.ALWAYS);
        left.setMinWidth(Region.USE_PREF_SIZE);
        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.18);
        setCenter(split);
        vm.refresh();
    }

    private static List<Long> selectedIds(TableView<RowItem> table) {
        return table.getSelectionModel().getSelectedItems().stream().map(RowItem::id).toList();
    }

    private static TableColumn<RowItem, Object> column(String title, double width,
                                                       java.util.function.Function<RowItem, Object> value) {
        TableColumn<RowItem, Object> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new javafx.beans.property.ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return c;
    }
}
