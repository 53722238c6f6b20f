package org.openledger.studio.ui.nodes;

import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.openledger.studio.api.NodeInfo;

/** The Nodes section: the nodes the studio knows, which one is active, and what the selected one is and has. */
public final class NodesView extends BorderPane {

    private final NodesViewModel<?> model;
    private final NodeAdaptersViewModel adapters;
    private final TableView<NodeRow> table = new TableView<>();
    private final GridPane details = new GridPane();
    private final javafx.beans.value.ChangeListener<NodeInfo> infoListener = (o, a, b) -> fill(b);
    private NodeRow shown;

    /** @param adapters the selected node's adapters, shown in the Adapters tab and read only while it is shown */
    public NodesView(NodesViewModel<?> model, NodeAdaptersViewModel adapters) {
        this.model = model;
        this.adapters = adapters;
        getStyleClass().add("section-view");
        setPadding(new Insets(20));

        Label title = new Label("Nodes");
        title.getStyleClass().add("title-2");
        Label subtitle = new Label("The studio talks to one node at a time: the one on this computer, or a remote one.");
        subtitle.getStyleClass().add("text-muted");
        VBox heading = new VBox(4, title, subtitle);

        Button add = new Button("Add node…", new FontIcon(MaterialDesignP.PLUS));
        add.setId("nodes-add");
        add.setOnAction(e -> AddNodeDialog.ask(getScene().getWindow(), model)
                .ifPresent(row -> table.getSelectionModel().select(row)));
        Button check = new Button("Check", new FontIcon(MaterialDesignC.CHECK_NETWORK_OUTLINE));
        check.setId("nodes-check");
        check.setOnAction(e -> model.check(selected()));
        Button use = new Button("Use this node", new FontIcon(MaterialDesignS.STAR_OUTLINE));
        use.setId("nodes-use");
        use.setOnAction(e -> model.makeActive(selected()));
        Button remove = new Button("Remove", new FontIcon(MaterialDesignD.DELETE_OUTLINE));
        remove.setId("nodes-remove");
        remove.setOnAction(e -> model.remove(selected()));

        var none = table.getSelectionModel().selectedItemProperty().isNull();
        check.disableProperty().bind(none);
        use.disableProperty().bind(Bindings.createBooleanBinding(
                () -> selected() == null || selected().activeProperty().get(),
                table.getSelectionModel().selectedItemProperty(), model.activeProperty()));
        remove.disableProperty().bind(Bindings.createBooleanBinding(
                () -> selected() == null || selected().entry().local(), table.getSelectionModel().selectedItemProperty()));

        HBox toolbar = new HBox(8, add, check, use, remove);
        for (Button b : java.util.List.of(add, check, use, remove)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        VBox top = new VBox(12, heading, toolbar);
        top.setPadding(new Insets(0, 0, 14, 0));
        setTop(top);

        buildTable();
        details.getStyleClass().add("details-grid");
        details.setHgap(16);
        details.setVgap(6);
        details.setPadding(new Insets(14, 0, 0, 0));
        details.setId("node-details");
        javafx.scene.control.ScrollPane overview = new javafx.scene.control.ScrollPane(details);
        overview.setFitToWidth(true);
        Tab overviewTab = new Tab("Overview", overview);
        overviewTab.setId("node-tab-overview");
        Tab adaptersTab = new Tab("Adapters", new NodeAdaptersPane(adapters));
        adaptersTab.setId("node-tab-adapters");
        TabPane tabs = new TabPane(overviewTab, adaptersTab);
        tabs.setId("node-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        table.setPrefHeight(130);
        table.setMinHeight(90);
        VBox center = new VBox(8, table, tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        setCenter(center);

        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            model.selectedProperty().set(b);
            showDetails(b);
            adapters.show(b);
        });
        // the adapters are read every few seconds only while their tab is on screen
        Runnable showing = () -> adapters.setShowing(getScene() != null && adaptersTab.isSelected());
        sceneProperty().addListener((o, a, b) -> showing.run());
        adaptersTab.selectedProperty().addListener((o, a, b) -> showing.run());
        table.getSelectionModel().select(model.localRow());
    }

    private NodeRow selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    private void buildTable() {
        table.setId("nodes-table");
        table.setItems(model.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No nodes"));

        TableColumn<NodeRow, Boolean> active = new TableColumn<>("");
        active.setCellValueFactory(c -> c.getValue().activeProperty());
        active.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Boolean item, boolean empty) {
                super.updateItem(item, empty);
                setGraphic(!empty && Boolean.TRUE.equals(item) ? activeIcon() : null);
            }
        });
        active.setMaxWidth(36);
        active.setMinWidth(36);

        TableColumn<NodeRow, String> name = new TableColumn<>("Name");
        name.setCellValueFactory(c -> Bindings.createStringBinding(() -> c.getValue().entry().name(),
                c.getValue().entryProperty()));
        name.setPrefWidth(160);

        TableColumn<NodeRow, String> url = new TableColumn<>("Address");
        url.setCellValueFactory(c -> Bindings.createStringBinding(() -> {
            var e = c.getValue().entry();
            return e.url() == null ? "—" : e.url().toString();
        }, c.getValue().entryProperty()));
        url.setPrefWidth(220);

        TableColumn<NodeRow, ConnectionState> state = new TableColumn<>("Status");
        state.setCellValueFactory(c -> c.getValue().stateProperty());
        state.setCellFactory(c -> new TableCell<>() {
            private final StateBadge badge = new StateBadge();

            @Override
            protected void updateItem(ConnectionState item, boolean empty) {
                super.updateItem(item, empty);
                badge.show(empty ? null : item);
                setGraphic(empty ? null : badge);
            }
        });
        state.setPrefWidth(130);

        TableColumn<NodeRow, String> detail = new TableColumn<>("Details");
        detail.setCellValueFactory(c -> c.getValue().detailProperty());

        table.getColumns().setAll(java.util.List.of(active, name, url, state, detail));
    }

    private static FontIcon activeIcon() {
        FontIcon i = new FontIcon(MaterialDesignS.STAR);
        i.getStyleClass().add("active-node-icon");
        return i;
    }

    private void showDetails(NodeRow row) {
        if (shown != null) {
            shown.infoProperty().removeListener(infoListener);
        }
        shown = row;
        details.getChildren().clear();
        if (row == null) {
            return;
        }
        row.infoProperty().addListener(infoListener);
        fill(row.infoProperty().get());
    }

    private void fill(NodeInfo info) {
        details.getChildren().clear();
        if (info == null) {
            details.addRow(0, muted("No answer from this node yet."));
            return;
        }
        int r = 0;
        details.addRow(r++, key("Node id"), value(info.nodeId()));
        details.addRow(r++, key("Version"), value(info.version() + " (API " + info.apiVersion() + ")"));
        details.addRow(r++, key("Host"), value(info.host().os() + " · " + info.host().arch() + " · Java "
                + info.host().javaVersion() + " · " + info.host().cpuCores() + " cores"));
        details.addRow(r++, key("Devices"), value(info.devices().stream()
                .map(d -> d.name() + " (" + d.kind() + (d.memoryBytes() > 0 ? ", " + gib(d.memoryBytes()) : "") + ")")
                .collect(Collectors.joining(", "))));
        details.addRow(r++, key("Data folder"), value(info.dataDir()));
        details.addRow(r++, key("Up since"), value(info.startedAt()));
        details.addRow(r, key("Offers"), value(info.capabilities().stream()
                .map(c -> c.name() + (c.available() ? "" : " (not yet)"))
                .collect(Collectors.joining(", "))));
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static Label key(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("details-key");
        return l;
    }

    private static Label value(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        return l;
    }

    private static Label muted(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
