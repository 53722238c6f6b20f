package org.openledger.studio.ui.wallet;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.openledger.studio.wallet.review.TransactionReview;

/**
 * The review of the transaction the wallet has under way: everything it commits to (from, to, value, decoded call,
 * gas × max fee = max cost, balance, chain, nonce, warnings), then Sign and Broadcast as two separate steps. One
 * pane type serves every section that sends transactions (Wallet &amp; Staking, Datanets); {@code idPrefix} keeps
 * their node ids apart.
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
        getChildren().addAll(reviewTitle, review, new HBox(8, sign, broadcast, cancel, signedState));
        getStyleClass().add("wallet-review");
        setId(idPrefix + "-review-panel");
        setPadding(new Insets(12));
        visibleProperty().bind(model.pendingProperty().isNotNull());
        managedProperty().bind(visibleProperty());
        model.pendingProperty().addListener((o, a, p) -> {
            if (p != null) {
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
    private void fill(WalletViewModel.Pending p) {
        TransactionReview r = p.review();
        rows.clear();
        int row = 0;
        row = line(row, "From", r.from().toString());
        row = line(row, "To", r.to() + " (" + r.toLabel() + ")");
        row = line(row, "Value", WalletViewModel.format(r.value()) + " ETH");
        row = line(row, "Call", r.call().map(c -> c.contract() + "." + c.signatureWithValues())
                .orElse(r.dataLength() == 0 ? "none" : r.dataLength() + " bytes, not decoded"));
        row = line(row, "Max cost", r.gasLimit() + " gas × " + r.maxFeePerGas() + " wei max fee = "
                + WalletViewModel.format(r.maxFeeCost()) + " ETH (priority fee " + r.maxPriorityFeePerGas() + " wei)");
        row = line(row, "Max total", WalletViewModel.format(r.maxTotalCost()) + " ETH of "
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
