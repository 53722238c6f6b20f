package org.openledger.studio.ui.wallet;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The selected account's rewards in Wallet &amp; Staking: the OPEN it can claim now (from the active node's proof),
 * the epoch and amounts behind it, Refresh, and Claim, which opens the wallet's review (the balance refreshes once it
 * is mined).
 */
final class RewardsPane extends VBox {

    RewardsPane(Rewards rewards, WalletViewModel model) {
        super(4);
        setId("wallet-rewards");
        Label claimable = new Label();
        claimable.setId("wallet-rewards-claimable");
        claimable.textProperty().bind(rewards.claimableProperty());
        Label detail = new Label();
        detail.setId("wallet-rewards-detail");
        detail.getStyleClass().add("text-muted");
        detail.setWrapText(true);
        detail.textProperty().bind(rewards.detailProperty());
        detail.visibleProperty().bind(rewards.detailProperty().isNotEmpty());
        detail.managedProperty().bind(detail.visibleProperty());
        Label outcome = new Label();
        outcome.setId("wallet-rewards-outcome");
        outcome.setWrapText(true);
        outcome.textProperty().bind(rewards.outcomeProperty());
        outcome.visibleProperty().bind(rewards.outcomeProperty().isNotEmpty());
        outcome.managedProperty().bind(outcome.visibleProperty());
        Button refresh = new Button("Refresh");
        refresh.setId("wallet-rewards-refresh");
        refresh.setOnAction(e -> rewards.refresh());
        Button claim = new Button("Claim…");
        claim.setId("wallet-rewards-claim");
        claim.setOnAction(e -> rewards.claim());
        claim.disableProperty().bind(Bindings.createBooleanBinding(() -> !rewards.hasClaimable(),
                rewards.proofProperty()).or(rewards.busyProperty()).or(model.unlockedProperty().not())
                .or(model.busyProperty()).or(model.pendingProperty().isNotNull()));
        claim.setTooltip(new Tooltip("Claim with the node's Merkle proof: reviewed, signed and broadcast like any "
                + "transaction; the OPEN goes to this account"));
        HBox line = new HBox(8, claimable, refresh, claim);
        line.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        getChildren().addAll(line, detail, outcome);
    }
}
