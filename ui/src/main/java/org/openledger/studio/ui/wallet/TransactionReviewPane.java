package org.openledger.studio.ui.wallet;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.review.TransactionReview;

/**
 * The review of the transaction the wallet has under way: everything it commits to (from, to, value, decoded call,
 * gas × max fee = max cost, the chain's fee levels, the transaction it replaces, balance, chain, nonce, warnings), a
 * fee level (slow/normal/fast, the review worked out again on a change) while it is not signed, then Sign and
 * Broadcast as two separate steps. One pane type serves every section that sends transactions (Wallet &amp; Staking,
 * Datanets); {@code idPrefix} keeps their node ids apart.
 */
public final class TransactionReviewPane extends VBox {

    private final GridPane review = new GridPane();
    private final String idPrefix;

    public TransactionReviewPane(WalletViewModel model, String idPrefix) {
        super(10);
        this.idPrefix = idPrefix;
        review.setId(idPrefix + "-review");
        review.setHgap(12);
        review.setVgap(4);
        Label reviewTitle = new Label();
        reviewTitle.setId(idPrefix + "-review-title");
        reviewTitle.getStyleClass().add("title-4");
        Button sign = new Button("Sign");
        sign.setId(idPrefix + "-sign");
        sign.setOnAction(e -> model.sign());
        Button broadcast = new Button("Broadcast");
        broadcast.setId(idPrefix + "-broadcast");
        broadcast.setOnAction(e -> model.broadcast());
        Button cancel = new Button("Cancel");
        cancel.setId(idPrefix + "-cancel");
        cancel.setOnAction(e -> model.cancelReview());
        Label signedState = new Label();
        signedState.setId(idPrefix + "-signed-state");
        ChoiceBox<FeeSuggestion.Speed> fee = new ChoiceBox<>(FXCollections.observableArrayList(
                FeeSuggestion.Speed.values()));
        fee.setId(idPrefix + "-fee");
        fee.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(FeeSuggestion.Speed s) {
                return s == null ? "" : s.name().charAt(0) + s.name().substring(1).toLowerCase(java.util.Locale.ROOT);
            }

            @Override
            public FeeSuggestion.Speed fromString(String text) {
                return FeeSuggestion.Speed.valueOf(text.toUpperCase(java.util.Locale.ROOT));
            }
        });
        fee.setTooltip(new Tooltip("Fee level from the chain's recent blocks: a faster level tips more and allows a "
                + "higher base fee (a higher maximum cost)"));
        boolean[] filling = {false};
        fee.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (!filling[0] && b != null) {
                model.changeSpeed(b);
            }
        });
        // a fee change that failed leaves the review as it was: show its level again
        model.busyProperty().addListener((o, a, b) -> {
            PendingReview p = model.pendingProperty().get();
            if (!b && p != null && fee.getValue() != p.speed()) {
                filling[0] = true;
                fee.getSelectionModel().select(p.speed());
                filling[0] = false;
            }
        });
        fee.disableProperty().bind(Bindings.createBooleanBinding(() -> model.pendingProperty().get() == null
                || model.pendingProperty().get().signed() != null, model.pendingProperty()).or(model.busyProperty()));
        getChildren().addAll(reviewTitle, review, new HBox(8, new Label("Fee level"), fee),
                new HBox(8, sign, broadcast, cancel, signedState));
        getStyleClass().add("wallet-review");
        setId(idPrefix + "-review-panel");
        setPadding(new Insets(12));
        visibleProperty().bind(model.pendingProperty().isNotNull());
        managedProperty().bind(visibleProperty());
        model.pendingProperty().addListener((o, a, p) -> {
            if (p != null) {
                filling[0] = true;
                fee.getSelectionModel().select(p.speed());
                filling[0] = false;
                reviewTitle.setText("Review: " + p.description());
                fill(p);
                signedState.setText(p.signed() == null ? "Not signed" : "Signed " + p.signed().hash()
                        + ": not sent yet");
            }
        });
        sign.disableProperty().bind(Bindings.createBooleanBinding(() -> model.pendingProperty().get() == null
                || model.pendingProperty().get().signed() != null, model.pendingProperty()).or(model.busyProperty()));
        broadcast.disableProperty().bind(Bindings.createBooleanBinding(() -> model.pendingProperty().get() == null
                || model.pendingProperty().get().signed() == null, model.pendingProperty()).or(model.busyProperty()));
    }

    /** Replaces all rows in one change, so nothing (a test, an accessibility reader) sees half a review. */
    private void fill(PendingReview p) {
        TransactionReview r = p.review();
        rows.clear();
        int row = 0;
        row = line(row, "From", r.from().toString());
        row = line(row, "To", r.to() + " (" + r.toLabel() + ")");
        row = line(row, "Value", WalletViewModel.format(r.value()) + " ETH");
        row = line(row, "Call", r.call().map(c -> c.contract() + "." + c.signatureWithValues())
                .orElse(r.dataLength() == 0 ? "none" : r.dataLength() + " bytes, not decoded"));
        row = line(row, "Max cost", r.gasLimit() + " gas × " + r.maxFeePerGas() + " wei max fee = "
                + WalletViewModel.exact(r.maxFeeCost()) + " ETH (priority fee " + r.maxPriorityFeePerGas() + " wei)");
        row = line(row, "Fees", p.fees() == null ? "" : "slow " + p.fees().slow().maxFeePerGas() + " / normal "
                + p.fees().normal().maxFeePerGas() + " / fast " + p.fees().fast().maxFeePerGas()
                + " wei max fee per gas (base fee " + p.fees().baseFee() + " wei)");
        if (p.replaces() != null) {
            row = line(row, "Replaces", p.replaces() + " (same nonce; only one of the two can be mined)");
        }
        row = line(row, "Max total", WalletViewModel.exact(r.maxTotalCost()) + " ETH of "
                + WalletViewModel.format(r.balance()) + " ETH");
        row = line(row, "Chain", p.network() + " (" + r.chainId() + ")");
        row = line(row, "Nonce", r.nonce().toString());
        line(row, "Warnings", r.warnings().isEmpty() ? "none"
                : String.join("\n", r.warnings().stream().map(TransactionReview.Warning::message).toList()));
        review.getChildren().setAll(rows);
    }

    private final java.util.List<javafx.scene.Node> rows = new java.util.ArrayList<>();

    private int line(int row, String name, String value) {
        Label k = new Label(name);
        k.getStyleClass().add("text-muted");
        k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setId(idPrefix + "-review-" + name.toLowerCase().replace(' ', '-'));
        v.setWrapText(true);
        GridPane.setConstraints(k, 0, row);
        GridPane.setConstraints(v, 1, row);
        rows.add(k);
        rows.add(v);
        return row + 1;
    }
}
