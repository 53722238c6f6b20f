package org.openledger.studio.ui.wallet;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Every transaction the wallet sent from the selected account, newest first: nonce, status (pending, confirmed,
 * reverted with its decoded reason, replaced), the decoded call and the hash; a pending one offers Speed up and Cancel,
 * each a replacement that goes through the same review.
 */
final class HistoryPane extends VBox {

    /** Rows shown; older ones stay in the nonce book. */
    static final int SHOWN = 100;

    private final WalletViewModel model;
    private final GridPane grid = new GridPane();

    HistoryPane(WalletViewModel model) {
        super(6);
        this.model = model;
        setId("wallet-history");
        grid.setHgap(14);
        grid.setVgap(4);
        Label empty = new Label("No transactions sent from this account yet");
        empty.getStyleClass().add("text-muted");
        empty.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.history()));
        empty.managedProperty().bind(empty.visibleProperty());
        getChildren().addAll(empty, grid);
        model.history().addListener((ListChangeListener<HistoryRow>) c -> rebuild());
        rebuild();
    }

    private void rebuild() {
        grid.getChildren().clear();
        if (model.history().isEmpty()) {
            return;
        }
        grid.addRow(0, head("Nonce"), head("Status"), head("Call"), head("Hash"), head(""));
        int i = 0;
        for (HistoryRow r : model.history()) {
            if (i == SHOWN) {
                break;
            }
            Label nonce = new Label(r.nonce().toString());
            nonce.setId("wallet-history-nonce-" + i);
            Label status = new Label(r.status());
            status.setId("wallet-history-status-" + i);
            status.setWrapText(true);
            status.setMaxWidth(320);
            Label call = new Label(r.call());
            call.setId("wallet-history-call-" + i);
            call.setTooltip(new Tooltip(r.description()));
            Label hash = new Label(WalletViewModel.shortHash(r.hash()));
            hash.setId("wallet-history-hash-" + i);
            hash.setTooltip(new Tooltip(r.hash()));
            HBox actions = new HBox(6);
            if (r.replaceable()) {
                Button speedUp = new Button("Speed up…");
                speedUp.setId("wallet-speedup-" + i);
                speedUp.setOnAction(e -> model.startSpeedUp(r.hash()));
                Button cancel = new Button("Cancel…");
                cancel.setId("wallet-cancel-tx-" + i);
                cancel.setOnAction(e -> model.startCancel(r.hash()));
                for (Button b : new Button[] {speedUp, cancel}) {
                    b.disableProperty().bind(model.unlockedProperty().not().or(model.busyProperty())
                            .or(model.pendingProperty().isNotNull()));
                }
                speedUp.setTooltip(new Tooltip("Send the same transaction again with higher fees (same nonce)"));
                cancel.setTooltip(new Tooltip("Replace it by sending nothing to yourself with higher fees"));
                actions.getChildren().addAll(speedUp, cancel);
            } else if (r.unsent() && !model.isUnderReview(r.hash())) {
                Button send = new Button("Send");
                send.setId("wallet-send-saved-" + i);
                send.setOnAction(e -> model.sendSaved(r.hash()));
                send.setTooltip(new Tooltip("Send the saved signed transaction as it is (it cannot be paid twice)"));
                Button discard = new Button("Discard");
                discard.setId("wallet-discard-saved-" + i);
                discard.setOnAction(e -> model.discardSaved(r.hash()));
                discard.setTooltip(new Tooltip("Never send it: its nonce goes to the next transaction"));
                for (Button b : new Button[] {send, discard}) {
                    b.disableProperty().bind(model.busyProperty().or(model.pendingProperty().isNotNull()));
                }
                actions.getChildren().addAll(send, discard);
            }
            grid.addRow(i + 1, nonce, status, call, hash, actions);
            i++;
        }
    }

    private static Label head(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
