package org.openledger.studio.ui.attribution;

import java.io.File;
import java.math.BigDecimal;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.openledger.studio.wallet.Account;

/**
 * The Earnings of one of the wallet's accounts: total, settled, not yet settled and claimable now, a bar per posted
 * epoch, per role and per model, Claim (reviewed in the wallet's review pane shown below it) and a CSV export.
 */
public final class EarningsPane extends ScrollPane {

    private final EarningsViewModel model;

    /** {@code review} is the wallet's review pane the claim is signed and broadcast in. */
    public EarningsPane(EarningsViewModel model, Node review) {
        this.model = model;
        setId("earnings-pane");
        setFitToWidth(true);
        getStyleClass().add("edge-to-edge");

        ComboBox<Account> account = new ComboBox<>(model.accounts());
        account.setId("earnings-account");
        account.setPrefWidth(500);
        account.setCellFactory(l -> new AccountCell());
        account.setButtonCell(new AccountCell());
        account.valueProperty().bindBidirectional(model.accountProperty());
        account.setPromptText("No account in the wallet");
        Button refresh = new Button("Refresh", new FontIcon(MaterialDesignR.REFRESH));
        refresh.setId("earnings-refresh");
        refresh.disableProperty().bind(model.loadingProperty());
        refresh.setOnAction(e -> model.refresh());
        Button export = new Button("Export earnings", new FontIcon(MaterialDesignF.FILE_DELIMITED_OUTLINE));
        export.setId("earnings-export");
        export.disableProperty().bind(model.hasCreditsProperty().not());
        export.setOnAction(e -> export());
        HBox top = new HBox(8, new Label("Account"), account, refresh, export);
        top.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("earnings-status");
        status.getStyleClass().add("text-muted");
        status.setWrapText(true);
        status.textProperty().bind(model.statusProperty());

        VBox content = new VBox(12, top, status, summary(), claim(review), charts());
        content.setPadding(new Insets(12, 4, 12, 0));
        setContent(content);
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.refresh();
            }
        });
    }

    private GridPane summary() {
        GridPane grid = new GridPane();
        grid.setId("earnings-summary");
        grid.getStyleClass().add("earnings-summary");
        grid.setHgap(28);
        grid.setVgap(2);
        amount(grid, 0, "Total earned", "earnings-total", model.totalProperty());
        amount(grid, 1, "Settled", "earnings-settled", model.settledProperty());
        amount(grid, 2, "Not yet settled", "earnings-unsettled", model.unsettledProperty());
        amount(grid, 3, "Claimable now", "earnings-claimable", model.rewards().claimableProperty());
        return grid;
    }

    private static void amount(GridPane grid, int column, String title, String id,
                               javafx.beans.value.ObservableStringValue value) {
        Label key = new Label(title);
        key.getStyleClass().add("details-key");
        Label v = new Label();
        v.setId(id);
        v.getStyleClass().addAll("title-3", "earnings-amount");
        v.textProperty().bind(value);
        grid.add(key, column, 0);
        grid.add(v, column, 1);
    }

    private VBox claim(Node review) {
        Button claim = new Button("Claim…", new FontIcon(MaterialDesignC.CASH_PLUS));
        claim.setId("earnings-claim");
        claim.getStyleClass().add("accent");
        claim.disableProperty().bind(model.canClaimProperty().not());
        claim.setOnAction(e -> model.claim());
        claim.setTooltip(new Tooltip("Claim with the node's Merkle proof through the wallet's review: signed and "
                + "broadcast by the account selected and unlocked in Wallet & Staking"));
        Label hint = new Label();
        hint.setId("earnings-claim-hint");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        hint.textProperty().bind(javafx.beans.binding.Bindings.when(model.otherThanWalletProperty())
                .then("Select and unlock this account in Wallet & Staking to claim")
                .otherwise(model.rewards().detailProperty()));
        Label outcome = new Label();
        outcome.setId("earnings-claim-outcome");
        outcome.setWrapText(true);
        outcome.textProperty().bind(model.rewards().outcomeProperty());
        outcome.visibleProperty().bind(outcome.textProperty().isNotEmpty());
        outcome.managedProperty().bind(outcome.visibleProperty());
        HBox line = new HBox(10, claim, hint);
        line.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, line, outcome);
        if (review != null) {
            box.getChildren().add(review);
        }
        return box;
    }

    private HBox charts() {
        CategoryAxis epochAxis = new CategoryAxis();
        epochAxis.setLabel("Epoch");
        NumberAxis openAxis = new NumberAxis();
        openAxis.setLabel("OPEN");
        BarChart<String, Number> chart = new BarChart<>(epochAxis, openAxis);
        chart.setId("earnings-chart");
        chart.getStyleClass().add("earnings-chart");
        chart.setTitle("Credits settled per epoch");
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefSize(460, 300);
        chart.setMinWidth(320);
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        chart.getData().add(series);
        model.epochs().addListener((ListChangeListener<EarningsViewModel.Share>) c -> series.getData().setAll(
                model.epochs().stream().map(s -> new XYChart.Data<String, Number>(s.name(),
                        new BigDecimal(s.wei()).movePointLeft(18).doubleValue())).toList()));
        // a few epochs get bars of a readable width, not the whole plot
        Runnable gap = () -> chart.setCategoryGap(Math.max(10, (chart.getWidth() - 90)
                / Math.max(1, model.epochs().size()) - 56));
        chart.widthProperty().addListener((o, a, b) -> gap.run());
        model.epochs().addListener((ListChangeListener<EarningsViewModel.Share>) c -> gap.run());
        VBox tables = new VBox(6, heading("Per role"), shares("earnings-by-role", "Role", model.byRole(), 206),
                heading("Per model"), shares("earnings-by-model", "Model", model.byModel(), 120),
                heading("Per Datanet (as a contributor)"), shares("earnings-by-datanet", "Datanet", model.byDatanet(),
                        120));
        HBox.setHgrow(chart, Priority.ALWAYS);
        HBox.setHgrow(tables, Priority.ALWAYS);
        tables.setPrefWidth(420);
        return new HBox(16, chart, tables);
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title-4");
        return l;
    }

    private static TableView<EarningsViewModel.Share> shares(String id, String name,
                                                            javafx.collections.ObservableList<EarningsViewModel.Share>
                                                                    items, double height) {
        TableView<EarningsViewModel.Share> table = new TableView<>(items);
        table.setId(id);
        table.setPrefHeight(height);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("Nothing earned"));
        table.getColumns().add(column(name, 220, EarningsViewModel.Share::name));
        table.getColumns().add(column("Earned", 140, EarningsViewModel.Share::open));
        return table;
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        return c;
    }

    private void export() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export earnings");
        chooser.setInitialFileName("earnings.csv");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        File file = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file != null) {
            model.export(file.toPath());
        }
    }

    private static final class AccountCell extends ListCell<Account> {
        @Override
        protected void updateItem(Account a, boolean empty) {
            super.updateItem(a, empty);
            setText(empty || a == null ? null : (a.label() == null || a.label().isBlank() ? "" : a.label() + "  ")
                    + a.address());
        }
    }
}
