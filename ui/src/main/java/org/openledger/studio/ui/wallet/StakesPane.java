package org.openledger.studio.ui.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.openledger.studio.wallet.staking.StakePosition;

/**
 * The selected account's stakes, one line per target (Datanet, model, node, contribution): active and unbonding OPEN,
 * a cooldown timer that counts down on the chain's clock, and a Withdraw button that turns on when the chain's time
 * has passed the unlock time. The timer ticks once a second while the pane is in a window.
 */
final class StakesPane extends VBox {

    private final WalletViewModel model;
    private final GridPane grid = new GridPane();
    private final List<Label> countdowns = new ArrayList<>();
    private final List<Button> withdraws = new ArrayList<>();
    private final Timeline timer;

    StakesPane(WalletViewModel model) {
        super(6);
        this.model = model;
        setId("wallet-stakes");
        grid.setHgap(14);
        grid.setVgap(4);
        Label empty = new Label("No stakes yet");
        empty.setId("wallet-stakes-empty");
        empty.getStyleClass().add("text-muted");
        empty.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(model.positions()));
        empty.managedProperty().bind(empty.visibleProperty());
        getChildren().addAll(empty, grid);
        model.positions().addListener((ListChangeListener<StakePosition>) c -> rebuild());
        model.chainNowProperty().addListener((o, a, b) -> update());
        model.unlockedProperty().addListener((o, a, b) -> update());
        model.busyProperty().addListener((o, a, b) -> update());
        model.pendingProperty().addListener((o, a, b) -> update());
        timer = new Timeline(new KeyFrame(Duration.seconds(1), e -> model.tick()));
        timer.setCycleCount(Timeline.INDEFINITE);
        sceneProperty().addListener((o, a, scene) -> {
            if (scene == null) {
                timer.stop();
            } else {
                timer.play();
            }
        });
        rebuild();
    }

    private void rebuild() {
        grid.getChildren().clear();
        countdowns.clear();
        withdraws.clear();
        if (model.positions().isEmpty()) {
            return;
        }
        grid.addRow(0, head("Target"), head("Staked"), head("Unbonding"), head("Cooldown"), head(""));
        int i = 0;
        for (StakePosition p : model.positions()) {
            Label target = new Label(p.kindName() + " " + WalletViewModel.shortHash(p.targetHex()));
            target.setId("wallet-stake-target-" + i);
            target.setTooltip(new Tooltip(p.targetHex()));
            Label active = new Label(WalletViewModel.format(p.active()) + " OPEN");
            active.setId("wallet-stake-active-" + i);
            Label unbonding = new Label(WalletViewModel.format(p.unbonding()) + " OPEN");
            unbonding.setId("wallet-stake-unbonding-" + i);
            Label countdown = new Label();
            countdown.setId("wallet-countdown-" + i);
            Button withdraw = new Button("Withdraw…");
            withdraw.setId("wallet-withdraw-" + i);
            withdraw.setOnAction(e -> model.startWithdraw(p));
            countdowns.add(countdown);
            withdraws.add(withdraw);
            grid.addRow(i + 1, target, active, unbonding, countdown, withdraw);
            i++;
        }
        update();
    }

    /** Timers and Withdraw buttons against the chain's clock now. */
    private void update() {
        Instant now = model.chainNowProperty().get();
        List<StakePosition> list = model.positions();
        for (int i = 0; i < countdowns.size() && i < list.size(); i++) {
            StakePosition p = list.get(i);
            boolean unbonding = p.unbonding().signum() > 0;
            countdowns.get(i).setText(unbonding ? WalletViewModel.countdown(p.unlockAt(), now) : "–");
            boolean ready = now != null && p.withdrawable(now);
            Button b = withdraws.get(i);
            b.setDisable(!ready || !model.unlockedProperty().get() || model.busyProperty().get()
                    || model.pendingProperty().get() != null);
            b.setTooltip(new Tooltip(!unbonding ? "Nothing is unbonding here: request to unstake first"
                    : !ready ? "The cooldown is not over on the chain's clock"
                    : !model.unlockedProperty().get() ? "Unlock the account to withdraw" : "Withdraw "
                    + WalletViewModel.format(p.unbonding()) + " OPEN"));
        }
    }

    private static Label head(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-muted");
        return l;
    }
}
