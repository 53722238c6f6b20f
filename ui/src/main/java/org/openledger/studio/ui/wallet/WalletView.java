package org.openledger.studio.ui.wallet;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.openledger.studio.wallet.Account;

/**
 * The Wallet &amp; Staking section: create (the phrase shown once, three words asked back), import, watch-only
 * addresses, keystore export, password change, unlock, balances, faucet on the devnet, staking, unstaking and withdraw
 * after the cooldown (timers on the chain's clock), rewards claimed with the node's Merkle proof, and the transaction
 * history with speed-up and cancel. Every transaction goes through a review of all it commits to (with the fee
 * level), then is signed and broadcast as two separate steps.
 */
public final class WalletView extends BorderPane {

    private final WalletViewModel model;
    private final VBox setup = new VBox(10);

    public WalletView(WalletViewModel model) {
        this.model = model;
        getStyleClass().addAll("section-view", "wallet-view");
        setPadding(new Insets(20));

        Label title = new Label("Wallet & Staking");
        title.getStyleClass().add("title-2");
        Label chain = new Label();
        chain.setId("wallet-chain");
        chain.getStyleClass().add("text-muted");
        chain.textProperty().bind(model.chain().textProperty());
        Label note = new Label("Keys stay on this computer, encrypted under your password; the node never sees them.");
        note.getStyleClass().add("text-muted");
        Label message = new Label();
        message.setId("wallet-message");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        setTop(new VBox(4, title, chain, note, message));

        ListView<Account> accounts = new ListView<>(model.accounts());
        accounts.setId("wallet-accounts");
        accounts.setPrefHeight(120);
        accounts.setPlaceholder(new Label("No accounts yet: create a wallet or import one"));
        accounts.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Account a, boolean empty) {
                super.updateItem(a, empty);
                setText(empty || a == null ? null : a.label() + "  " + a.address() + "  (" + a.kind().name()
                        .toLowerCase().replace('_', '-') + ")");
            }
        });
        accounts.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.selectedProperty().set(b);
            }
        });
        model.selectedProperty().addListener((o, a, b) -> accounts.getSelectionModel().select(b));
        accounts.getSelectionModel().select(model.selectedProperty().get());

        Button create = new Button("Create wallet…");
        create.setId("wallet-create");
        create.setOnAction(e -> showPhrase(model.startCreate()));
        Button importButton = new Button("Import…");
        importButton.setId("wallet-import");
        importButton.setOnAction(e -> showImport());
        create.disableProperty().bind(Bindings.createBooleanBinding(model::hasRecoveryPhrase, model.accounts()));

        PasswordField password = new PasswordField();
        password.setId("wallet-password");
        password.setPromptText("Wallet password");
        Button unlock = new Button("Unlock");
        unlock.setId("wallet-unlock");
        unlock.setDefaultButton(false);
        unlock.setOnAction(e -> model.unlock(take(password)));
        Button lock = new Button("Lock");
        lock.setId("wallet-lock");
        lock.setOnAction(e -> model.lock());
        unlock.disableProperty().bind(model.unlockedProperty().or(model.selectedProperty().isNull())
                .or(model.canSignProperty().not()));
        lock.disableProperty().bind(model.unlockedProperty().not());
        password.disableProperty().bind(model.unlockedProperty());

        Label gas = new Label();
        gas.setId("wallet-gas-balance");
        gas.textProperty().bind(model.gasBalanceProperty());
        Label open = new Label();
        open.setId("wallet-open-balance");
        open.textProperty().bind(model.openBalanceProperty());
        Button refresh = new Button("Refresh");
        refresh.setId("wallet-refresh");
        refresh.setOnAction(e -> model.refreshAll());
        Button faucet = new Button("Get test OPEN (devnet faucet)");
        faucet.setId("wallet-faucet");
        faucet.setOnAction(e -> model.faucet());
        faucet.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.faucetAvailable()
                || model.selectedProperty().get() == null, model.chain().infoProperty(), model.selectedProperty()));
        model.chain().infoProperty().addListener((o, a, b) -> {
            if (b != null && b.isReady() && (a == null || !a.isReady())) {
                model.refreshAll();
            }
        });

        TextField amount = new TextField();
        amount.setId("wallet-stake-amount");
        amount.setPromptText("OPEN");
        ChoiceBox<String> kind = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
                "Datanet", "Model or adapter", "Node"));
        kind.getSelectionModel().select(0);
        TextField target = new TextField();
        target.setId("wallet-stake-target");
        target.setPromptText("Target id: 0x + 64 hex digits");
        target.setPrefColumnCount(30);
        Button stake = new Button("Review stake…");
        stake.setId("wallet-stake");
        stake.setOnAction(e -> model.startStake(amount.getText(), kind.getSelectionModel().getSelectedIndex(),
                target.getText()));
        stake.disableProperty().bind(model.unlockedProperty().not().or(model.busyProperty())
                .or(model.pendingProperty().isNotNull()));
        Button unstake = new Button("Review unstake…");
        unstake.setId("wallet-unstake");
        unstake.setOnAction(e -> model.startUnstake(amount.getText(), kind.getSelectionModel().getSelectedIndex(),
                target.getText()));
        unstake.disableProperty().bind(stake.disableProperty());
        stake.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        unstake.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);

        Button watch = new Button("Watch address…");
        watch.setId("wallet-watch");
        watch.setOnAction(e -> showWatch());
        Button export = new Button("Export keystore…");
        export.setId("wallet-export");
        export.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Export the keystore (encrypted under the wallet password)");
            chooser.setInitialFileName(model.selectedProperty().get().address().lowercase().substring(2) + ".json");
            var f = chooser.showSaveDialog(getScene().getWindow());
            if (f != null) {
                model.exportKeystore(f.toPath());
            }
        });
        export.disableProperty().bind(model.canSignProperty().not().or(model.busyProperty()));
        Button changePassword = new Button("Change password…");
        changePassword.setId("wallet-change-password");
        changePassword.setOnAction(e -> showChangePassword());
        changePassword.disableProperty().bind(Bindings.createBooleanBinding(() -> model.accounts().stream()
                .noneMatch(Account::canSign), model.accounts()).or(model.busyProperty()));
        Label watchOnly = new Label(WalletViewModel.WATCH_ONLY_REASON);
        watchOnly.setId("wallet-watch-only");
        watchOnly.getStyleClass().add("text-muted");
        watchOnly.visibleProperty().bind(model.selectedProperty().isNotNull().and(model.canSignProperty().not()));
        watchOnly.managedProperty().bind(watchOnly.visibleProperty());

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(8);
        grid.addRow(0, rowLabel("Accounts"), accounts);
        grid.addRow(1, rowLabel(""), new HBox(8, create, importButton, watch, export, changePassword));
        grid.addRow(2, rowLabel("Unlock"), new VBox(4, new HBox(8, password, unlock, lock), watchOnly));
        grid.addRow(3, rowLabel("Gas token"), gas);
        grid.addRow(4, rowLabel("OPEN"), open);
        grid.addRow(5, rowLabel(""), new HBox(8, refresh, faucet));
        grid.addRow(6, rowLabel("Stake"), new HBox(8, amount, kind, target, stake, unstake));
        grid.addRow(7, rowLabel("Stakes"), new StakesPane(model));
        grid.addRow(8, rowLabel("Rewards"), new RewardsPane(model.rewards(), model));
        grid.addRow(9, rowLabel("History"), new HistoryPane(model));
        Tooltip watchTip = new Tooltip(WalletViewModel.WATCH_ONLY_REASON);
        javafx.beans.value.ChangeListener<Boolean> tips = (o, a, b) -> {
            for (javafx.scene.control.Control c : List.of(unlock, password, stake, unstake, export)) {
                c.setTooltip(b ? null : watchTip);
            }
        };
        model.canSignProperty().addListener(tips);
        tips.changed(null, null, model.canSignProperty().get());

        TransactionReviewPane reviewBox = new TransactionReviewPane(model, "wallet");

        setup.managedProperty().bind(setup.visibleProperty());
        setup.setVisible(false);
        VBox center = new VBox(16, grid, reviewBox, setup);
        center.setPadding(new Insets(14, 0, 0, 0));
        ScrollPane scroll = new ScrollPane(center);
        scroll.setFitToWidth(true);
        setCenter(scroll);
    }

    private static Label rowLabel(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-muted");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    /** Step 1 of creating: the 24 words, once. */
    private void showPhrase(List<String> words) {
        FlowPane grid = new FlowPane(12, 6);
        grid.setId("wallet-phrase");
        for (int i = 0; i < words.size(); i++) {
            Label w = new Label((i + 1) + ". " + words.get(i));
            w.setId("wallet-word-" + (i + 1));
            w.setMinWidth(110);
            grid.getChildren().add(w);
        }
        Label info = new Label("Write these 24 words down, in order, and keep them offline. They are shown only now; "
                + "anyone who has them owns this wallet.");
        info.setWrapText(true);
        Button next = new Button("I wrote them down");
        next.setId("wallet-phrase-done");
        next.setOnAction(e -> showConfirm());
        Button cancel = new Button("Cancel");
        cancel.setOnAction(e -> closeSetup(true));
        setup.getChildren().setAll(new Label("New recovery phrase"), info, grid, new HBox(8, next, cancel));
        setup.setVisible(true);
    }

    /** Step 2: three words asked back and the password. */
    private void showConfirm() {
        int[] positions = model.askedPositions();
        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(6);
        PasswordField[] answers = new PasswordField[positions.length];
        for (int i = 0; i < positions.length; i++) {
            answers[i] = new PasswordField();
            answers[i].setId("wallet-confirm-" + i);
            form.addRow(i, new Label("Word #" + positions[i]), answers[i]);
        }
        PasswordField password = new PasswordField();
        password.setId("wallet-new-password");
        PasswordField repeat = new PasswordField();
        repeat.setId("wallet-new-password-repeat");
        form.addRow(positions.length, new Label("Password"), password);
        form.addRow(positions.length + 1, new Label("Repeat"), repeat);
        Button create = new Button("Create wallet");
        create.setId("wallet-confirm-create");
        create.setOnAction(e -> {
            if (!password.getText().equals(repeat.getText()) || password.getText().length() < 8) {
                model.messageProperty().set("The password needs at least 8 characters, typed the same twice");
                return;
            }
            char[][] words = new char[answers.length][];
            for (int i = 0; i < answers.length; i++) {
                words[i] = take(answers[i]);
            }
            repeat.clear();
            model.confirmCreate(words, take(password), () -> closeSetup(false));
        });
        setup.getChildren().setAll(new Label("Type back the words the phrase has at these positions"), form,
                new HBox(8, create));
    }

    private void showImport() {
        ChoiceBox<String> kind = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
                "Recovery phrase", "Private key", "Keystore file"));
        kind.setId("wallet-import-kind");
        kind.getSelectionModel().select(0);
        PasswordField secret = new PasswordField();
        secret.setId("wallet-import-secret");
        secret.setPromptText("Phrase or private key (hidden as you type)");
        Path[] file = new Path[1];
        Button choose = new Button("Choose keystore file…");
        choose.setOnAction(e -> {
            var f = new FileChooser().showOpenDialog(getScene().getWindow());
            if (f != null) {
                file[0] = f.toPath();
                choose.setText(f.getName());
            }
        });
        PasswordField filePassword = new PasswordField();
        filePassword.setPromptText("The keystore file's password");
        PasswordField password = new PasswordField();
        password.setId("wallet-import-password");
        password.setPromptText("Wallet password");
        Button go = new Button("Import");
        go.setId("wallet-import-go");
        go.setOnAction(e -> {
            switch (kind.getSelectionModel().getSelectedIndex()) {
                case 0 -> model.importMnemonic(take(secret), take(password));
                case 1 -> model.importPrivateKey(take(secret), take(password));
                default -> {
                    if (file[0] == null) {
                        model.messageProperty().set("Choose the keystore file first");
                        return;
                    }
                    model.importKeystore(file[0], take(filePassword), take(password));
                }
            }
            closeSetup(false);
        });
        Button cancel = new Button("Cancel");
        cancel.setOnAction(e -> closeSetup(false));
        setup.getChildren().setAll(new Label("Import an account"), kind, secret, new HBox(8, choose, filePassword),
                password, new HBox(8, go, cancel));
        setup.setVisible(true);
    }

    /** Adds an address to follow: balances only. */
    private void showWatch() {
        TextField address = new TextField();
        address.setId("wallet-watch-address");
        address.setPromptText("0x… address to follow");
        address.setPrefColumnCount(40);
        TextField label = new TextField();
        label.setId("wallet-watch-label");
        label.setPromptText("Label");
        Button add = new Button("Watch");
        add.setId("wallet-watch-go");
        add.setOnAction(e -> {
            model.watch(address.getText(), label.getText());
            closeSetup(false);
        });
        Button cancel = new Button("Cancel");
        cancel.setOnAction(e -> closeSetup(false));
        Label info = new Label("A watch-only address shows its balances; it cannot sign anything from this studio.");
        info.setWrapText(true);
        setup.getChildren().setAll(new Label("Watch an address"), info, address, label, new HBox(8, add, cancel));
        setup.setVisible(true);
    }

    /** Old password (checked), new password twice. */
    private void showChangePassword() {
        PasswordField old = new PasswordField();
        old.setId("wallet-old-password");
        old.setPromptText("Current password");
        PasswordField fresh = new PasswordField();
        fresh.setId("wallet-changed-password");
        fresh.setPromptText("New password (at least 8 characters)");
        PasswordField repeat = new PasswordField();
        repeat.setId("wallet-changed-password-repeat");
        repeat.setPromptText("New password again");
        Label error = new Label();
        error.setId("wallet-change-password-error");
        error.getStyleClass().add("danger");
        Button go = new Button("Change password");
        go.setId("wallet-change-password-go");
        go.setOnAction(e -> {
            if (!fresh.getText().equals(repeat.getText()) || fresh.getText().length() < 8) {
                error.setText("The new password needs at least 8 characters, typed the same twice");
                return;
            }
            if (old.getText().isEmpty()) {
                error.setText("Type the current password");
                return;
            }
            repeat.clear();
            model.changePassword(take(old), take(fresh), () -> closeSetup(false));
        });
        Button cancel = new Button("Cancel");
        cancel.setOnAction(e -> closeSetup(false));
        Label info = new Label("Every key and the recovery phrase are encrypted again under the new password. The old "
                + "files are replaced only once all new ones are written.");
        info.setWrapText(true);
        setup.getChildren().setAll(new Label("Change the wallet password"), info, old, fresh, repeat, error,
                new HBox(8, go, cancel));
        setup.setVisible(true);
    }

    private void closeSetup(boolean discard) {
        if (discard) {
            model.discardDraft();
        }
        setup.getChildren().clear();
        setup.setVisible(false);
    }

    /** The field's characters as an array the model wipes; the field is cleared. */
    private static char[] take(PasswordField field) {
        CharSequence cs = field.getCharacters();
        char[] out = new char[cs.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cs.charAt(i);
        }
        field.clear();
        return out;
    }

    Node setupPane() {
        return setup;
    }
}
