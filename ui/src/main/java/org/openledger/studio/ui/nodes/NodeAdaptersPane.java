package org.openledger.studio.ui.nodes;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.openledger.studio.api.adapters.AdapterInfo;

/**
 * The selected node's adapters: the tiers (adapters, bytes of the bound, where requests found their adapter), the
 * node's queue depth and tokens per second, and each adapter with its counters; delete (asked first) and register a
 * folder on the node.
 */
public final class NodeAdaptersPane extends VBox {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private final NodeAdaptersViewModel model;
    private final TableView<AdapterInfo> table = new TableView<>();
    private final HBox tierBoxes = new HBox(12);
    private VBox serving;

    public NodeAdaptersPane(NodeAdaptersViewModel model) {
        this.model = model;
        setId("node-adapters");
        setSpacing(10);
        setPadding(new Insets(12, 0, 0, 0));

        ToggleGroup group = new ToggleGroup();
        HBox filters = new HBox();
        filters.getStyleClass().add("segmented-button-bar");
        for (NodeAdaptersViewModel.TierFilter f : NodeAdaptersViewModel.TierFilter.values()) {
            ToggleButton b = new ToggleButton(f.label());
            b.setId("adapters-tier-" + f.name().toLowerCase(Locale.ROOT));
            b.setUserData(f);
            b.setToggleGroup(group);
            b.setSelected(f == model.filterProperty().get());
            b.setMinWidth(Region.USE_PREF_SIZE);
            filters.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                group.selectToggle(a); // one tier is always chosen
            } else {
                model.filterProperty().set((NodeAdaptersViewModel.TierFilter) b.getUserData());
            }
        });

        Button refresh = new Button("Refresh", new FontIcon(MaterialDesignR.REFRESH));
        refresh.setId("adapters-refresh");
        refresh.setOnAction(e -> model.refresh());
        Button register = new Button("Register folder…", new FontIcon(MaterialDesignF.FOLDER_PLUS_OUTLINE));
        register.setId("adapters-register");
        register.setOnAction(e -> RegisterAdapterDialog.ask(getScene().getWindow(), model.node())
                .ifPresent(r -> model.register(r.folder(), r.id())));
        Button delete = new Button("Delete…", new FontIcon(MaterialDesignD.DELETE_OUTLINE));
        delete.setId("adapters-delete");
        delete.setOnAction(e -> confirmDelete());
        delete.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(model.busyProperty()));
        register.disableProperty().bind(model.busyProperty());
        for (Button b : List.of(refresh, register, delete)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox toolbar = new HBox(8, filters, refresh, grow, register, delete);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        Label queue = new Label();
        queue.setId("adapters-queue");
        queue.textProperty().bind(Bindings.createStringBinding(() -> {
            Long q = model.queueDepthProperty().get();
            return "Queue " + (q == null ? "—" : q + (q == 1 ? " row" : " rows"));
        }, model.queueDepthProperty()));
        Label rate = new Label();
        rate.setId("adapters-rate");
        rate.textProperty().bind(Bindings.createStringBinding(() -> {
            Double r = model.tokensPerSecondProperty().get();
            return r == null ? "— tokens/s" : String.format(Locale.ROOT, "%.1f tokens/s", r);
        }, model.tokensPerSecondProperty()));
        Label held = new Label();
        held.setId("adapters-held");
        held.textProperty().bind(Bindings.createStringBinding(() -> {
            Integer h = model.inFlightProperty().get();
            return (h == null ? "—" : h) + (h != null && h == 1 ? " request holds" : " requests hold") + " an adapter";
        }, model.inFlightProperty()));
        Label serving = new Label("Serving");
        serving.getStyleClass().add("details-key");
        this.serving = box(serving, queue, rate, held);
        this.serving.setId("adapters-serving");
        tierBoxes.setId("adapters-tiers");
        model.tiers().addListener((ListChangeListener<NodeAdaptersViewModel.TierSummary>) c -> fillTiers());
        fillTiers();

        Label message = new Label();
        message.setId("adapters-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        model.failedProperty().addListener((o, a, b) -> message.getStyleClass().setAll("label",
                b ? "text-danger" : "text-success"));

        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(toolbar, tierBoxes, message, table);
    }

    private void fillTiers() {
        tierBoxes.getChildren().clear();
        for (NodeAdaptersViewModel.TierSummary t : model.tiers()) {
            Label name = new Label(t.tier().substring(0, 1).toUpperCase(Locale.ROOT) + t.tier().substring(1));
            name.getStyleClass().add("details-key");
            Label size = new Label(t.adapters() + (t.adapters() == 1 ? " adapter · " : " adapters · ")
                    + bytes(t.bytes()) + (t.boundBytes() == null ? "" : " of " + bytes(t.boundBytes())));
            Label hits = new Label(t.hitShare() == null ? "hits —"
                    : String.format(Locale.ROOT, "%.0f%% of requests found it here", t.hitShare() * 100));
            hits.getStyleClass().add("text-muted");
            VBox box = box(name, size, hits);
            box.setId("adapters-tier-box-" + t.tier());
            tierBoxes.getChildren().add(box);
        }
        tierBoxes.getChildren().add(serving);
    }

    private static VBox box(Label... lines) {
        for (Label l : lines) {
            l.setWrapText(true); // a narrow window wraps the figures instead of cutting them off
        }
        VBox box = new VBox(2, lines);
        box.getStyleClass().add("tier-box");
        box.setPadding(new Insets(8, 12, 8, 12));
        box.setStyle("-fx-border-color: -color-border-default; -fx-border-radius: 6; -fx-background-radius: 6;");
        // the boxes share the width: at 1280 x 800 four of them at their preferred size would overflow it
        box.setMinWidth(0);
        box.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(box, Priority.ALWAYS);
        return box;
    }

    private void confirmDelete() {
        AdapterInfo a = table.getSelectionModel().getSelectedItem();
        if (a == null) {
            return;
        }
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Delete the adapter '" + a.id() + "' from this node?"
                + " It is removed from every tier and from the node's disk, and never served again. Requests that"
                + " name it will get 'model not found'.", ButtonType.CANCEL, ButtonType.OK);
        ask.setHeaderText("Delete " + a.id() + "?");
        ask.setTitle("Delete adapter");
        ask.initOwner(getScene().getWindow());
        ask.getDialogPane().setId("adapters-delete-dialog");
        Button ok = (Button) ask.getDialogPane().lookupButton(ButtonType.OK);
        ok.setText("Delete");
        ok.setId("adapters-delete-confirm");
        ok.setDefaultButton(false);
        ((Button) ask.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        Optional<ButtonType> answer = ask.showAndWait();
        if (answer.isPresent() && answer.get() == ButtonType.OK) {
            model.delete(a.id());
        }
    }

    private void buildTable() {
        table.setId("adapters-table");
        table.setItems(model.adapters());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No adapters in this tier"));
        // a refresh replaces every item: keep the user's selection by id
        String[] keep = new String[1];
        model.adapters().addListener((ListChangeListener<AdapterInfo>) c -> {
            if (keep[0] != null) {
                model.adapters().stream().filter(a -> a.id().equals(keep[0])).findFirst()
                        .ifPresent(a -> table.getSelectionModel().select(a));
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                keep[0] = b.id();
            } else if (!model.adapters().isEmpty() && model.adapters().stream().noneMatch(x -> x.id().equals(keep[0]))) {
                keep[0] = null;
            }
        });

        table.getColumns().setAll(List.of(
                column("Adapter", 150, AdapterInfo::id),
                column("Tier", 64, AdapterInfo::tier),
                column("Rank", 56, a -> a.rank() == null ? "—" : String.valueOf(a.rank())),
                column("Requests", 84, a -> String.valueOf(a.requests())),
                column("Tokens", 70, a -> String.valueOf(a.tokens())),
                column("Last used", 96, a -> lastUsed(a.lastUsedAt())),
                column("Load ms", 76, NodeAdaptersPane::loadMs),
                column("Device", 66, a -> percent(a.deviceHits(), a)),
                column("Host", 56, a -> percent(a.hostHits(), a)),
                column("Disk", 56, a -> percent(a.diskHits(), a)),
                statusColumn()));
    }

    /** Today's uses by their time, older ones by their day. */
    private static String lastUsed(String at) {
        if (at == null) {
            return "never";
        }
        java.time.ZonedDateTime t = Instant.parse(at).atZone(ZoneId.systemDefault());
        return t.toLocalDate().equals(java.time.LocalDate.now(ZoneId.systemDefault())) ? TIME.format(t) : DAY.format(t);
    }

    private static String loadMs(AdapterInfo a) {
        return a.meanLoadMs() == null ? "—" : String.format(Locale.ROOT, "%.1f", a.meanLoadMs());
    }

    private static String percent(long hits, AdapterInfo a) {
        long all = a.deviceHits() + a.hostHits() + a.diskHits();
        return all == 0 ? "—" : String.format(Locale.ROOT, "%.0f%%", 100.0 * hits / all);
    }

    private static TableColumn<AdapterInfo, String> column(String title, double width,
                                                           Function<AdapterInfo, String> value) {
        TableColumn<AdapterInfo, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 56));
        return c;
    }

    private static TableColumn<AdapterInfo, AdapterInfo> statusColumn() {
        TableColumn<AdapterInfo, AdapterInfo> c = new TableColumn<>("Status");
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue()));
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(AdapterInfo a, boolean empty) {
                super.updateItem(a, empty);
                getStyleClass().removeAll("text-danger");
                setTooltip(null);
                if (empty || a == null) {
                    setText(null);
                } else if (a.brokenReason() != null) {
                    setText("Broken: " + a.brokenReason());
                    getStyleClass().add("text-danger");
                    setTooltip(new Tooltip(a.brokenReason()));
                } else {
                    setText(a.inUse() > 0 ? "In use by " + a.inUse() : "Ready");
                }
            }
        });
        c.setPrefWidth(160);
        return c;
    }

    private static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }
}
