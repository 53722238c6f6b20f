package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;

/**
 * The accounts of Wallet &amp; Staking: creating a wallet from a new phrase (confirmed word by word), importing a
 * phrase, a private key or a keystore, watch-only addresses, unlocking and locking, balances and the devnet faucet,
 * exporting a keystore and changing the password. Every secret passed in is wiped.
 */
final class WalletAccounts {

    /** Positions (1-based) asked back when a new phrase is confirmed. */
    static final int CONFIRM_WORDS = 3;

    private final WalletContext ctx;
    private final Wallet wallet;
    private final ActiveNode<WalletApi> node;
    private final Runnable cancelReview;
    private final SecureRandom random = new SecureRandom();

    private final ObservableList<Account> accounts = FXCollections.observableArrayList();
    private final BooleanProperty unlocked = new SimpleBooleanProperty(false);
    private final BooleanProperty canSign = new SimpleBooleanProperty(false);
    private final StringProperty gasBalance = new SimpleStringProperty("–");
    private final StringProperty openBalance = new SimpleStringProperty("–");
    private Mnemonic draft;
    private int[] askedPositions;

    /** @param cancelReview closes the review (and gives up its signed transaction) when the wallet locks */
    WalletAccounts(WalletContext ctx, ActiveNode<WalletApi> node, Runnable cancelReview) {
        this.ctx = ctx;
        this.wallet = ctx.wallet;
        this.node = node;
        this.cancelReview = cancelReview;
        accounts.setAll(wallet.accounts());
        if (!accounts.isEmpty()) {
            ctx.selected.set(accounts.get(0));
            canSign.set(accounts.get(0).canSign());
        }
    }

    /** Brings the flags in step with a newly selected account. */
    void selectedChanged(Account b) {
        unlocked.set(b != null && wallet.isUnlocked(b.address()));
        canSign.set(b != null && b.canSign());
    }

    ObservableList<Account> accounts() {
        return accounts;
    }

    BooleanProperty unlockedProperty() {
        return unlocked;
    }

    BooleanProperty canSignProperty() {
        return canSign;
    }

    StringProperty gasBalanceProperty() {
        return gasBalance;
    }

    StringProperty openBalanceProperty() {
        return openBalance;
    }

    // ---- create, confirm, import ----

    /** A new 24-word phrase to show once; its words are returned for display and the draft kept until confirmed. */
    List<String> startCreate() {
        discardDraft();
        draft = Mnemonic.generate(random);
        List<Integer> positions = new ArrayList<>();
        while (positions.size() < CONFIRM_WORDS) {
            int p = 1 + random.nextInt(Mnemonic.WORDS);
            if (!positions.contains(p)) {
                positions.add(p);
            }
        }
        positions.sort(Integer::compare);
        askedPositions = positions.stream().mapToInt(Integer::intValue).toArray();
        char[] phrase = draft.phrase();
        try {
            // the labels that show the words need Strings: they live as long as the screen that shows them
            return List.of(new String(phrase).split(" "));
        } finally {
            Secret.wipe(phrase);
        }
    }

    int[] askedPositions() {
        return askedPositions.clone();
    }

    /**
     * Checks the typed words against the draft phrase; when they match, makes the wallet from it under
     * {@code password} (in the background).
     *
     * @return false (and nothing created) when a word does not match
     */
    boolean confirmCreate(char[][] words, char[] password, Runnable done) {
        boolean ok = draft != null;
        for (int i = 0; i < words.length; i++) {
            try (Secret w = Secret.of(words[i])) {
                ok &= i < askedPositions.length && draft.wordAt(askedPositions[i], w);
            }
        }
        if (!ok) {
            Secret.wipe(password);
            ctx.message.set("Those words do not match the phrase: check what you wrote down");
            return false;
        }
        Mnemonic m = draft;
        draft = null;
        ctx.run("Creating the wallet", () -> {
            try (m; Secret p = Secret.of(password)) {
                Account a = wallet.createFromMnemonic(m, p);
                wallet.unlock(a.address(), p);
                return a;
            }
        }, a -> {
            changed(a);
            done.run();
        });
        return true;
    }

    void discardDraft() {
        if (draft != null) {
            draft.close();
            draft = null;
        }
    }

    void importMnemonic(char[] phrase, char[] password) {
        ctx.run("Importing the recovery phrase", () -> {
            try (Secret s = Secret.of(phrase); Mnemonic m = Mnemonic.parse(s); Secret p = Secret.of(password)) {
                return wallet.createFromMnemonic(m, p);
            }
        }, this::changed);
    }

    void importPrivateKey(char[] hex, char[] password) {
        ctx.run("Importing the private key", () -> {
            try (Secret s = Secret.of(hex); PrivateKey k = PrivateKey.parseHex(s); Secret p = Secret.of(password)) {
                return wallet.importPrivateKey(k, p, "Imported");
            }
        }, this::changed);
    }

    void importKeystore(Path file, char[] filePassword, char[] password) {
        ctx.run("Importing the keystore", () -> {
            try (Secret f = Secret.of(filePassword); Secret p = Secret.of(password)) {
                return wallet.importKeystore(file, f, p, file.getFileName().toString());
            }
        }, this::changed);
    }

    /** Adds an address to follow (balances only: this wallet has no key for it). */
    void watch(String address, String label) {
        Address parsed;
        try {
            parsed = Address.parse(address.trim());
        } catch (RuntimeException e) {
            ctx.message.set("Not an address: " + e.getMessage());
            return;
        }
        ctx.run("Adding a watch-only address", () -> wallet.watch(parsed, label == null || label.isBlank()
                ? "Watched" : label.trim()), this::changed);
    }

    private void changed(Account a) {
        accounts.setAll(wallet.accounts());
        ctx.selected.set(null);
        ctx.selected.set(accounts.stream().filter(x -> x.address().equals(a.address())).findFirst().orElse(null));
        ctx.message.set("Account " + a.address() + " is ready");
    }

    // ---- unlock, lock, password, export ----

    void unlock(char[] password) {
        Account a = ctx.selected.get();
        if (a == null) {
            Secret.wipe(password);
            return;
        }
        ctx.run("Unlocking", () -> {
            try (Secret p = Secret.of(password)) {
                wallet.unlock(a.address(), p);
                return a;
            }
        }, x -> {
            unlocked.set(true);
            ctx.message.set("Unlocked; it locks itself after a few idle minutes");
        });
    }

    void lock() {
        wallet.lock();
        unlocked.set(false);
        cancelReview.run();
    }

    /** Called from a timer on the FX thread: wipes keys unused for longer than the idle timeout. */
    void lockIfIdle() {
        if (wallet.lockIfIdle()) {
            unlocked.set(false);
            ctx.message.set("Locked after being idle");
        }
    }

    /** Writes the selected account's keystore v3 file (encrypted under the wallet password) to {@code target}. */
    void exportKeystore(Path target) {
        Account a = ctx.selected.get();
        if (a == null || !a.canSign()) {
            ctx.message.set(WalletViewModel.WATCH_ONLY_REASON);
            return;
        }
        ctx.run("Exporting the keystore", () -> {
            wallet.exportKeystore(a.address(), target);
            return target;
        }, t -> ctx.message.set("Keystore of " + a.address() + " written to " + t + " (encrypted under the wallet "
                + "password)"));
    }

    /**
     * Re-encrypts the wallet under {@code newPassword} once {@code oldPassword} is checked; the wallet is locked
     * afterwards, so the next unlock uses the new password.
     */
    void changePassword(char[] oldPassword, char[] newPassword, Runnable done) {
        ctx.run("Changing the wallet password", () -> {
            try (Secret o = Secret.of(oldPassword); Secret n = Secret.of(newPassword)) {
                wallet.changePassword(o, n);
                return true;
            }
        }, x -> {
            lock();
            ctx.message.set("Password changed: every key is now encrypted under the new password. Unlock with it.");
            done.run();
        });
    }

    // ---- balances, faucet ----

    void refreshBalances() {
        if (ctx.closed()) {
            return;
        }
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        if (a == null || c == null || !c.isReady()) {
            gasBalance.set("–");
            openBalance.set("–");
            return;
        }
        ctx.run("Reading balances", () -> {
            ChainSession s = ctx.session(c);
            BigInteger gas = s.client.balance(a.address());
            BigInteger open = c.contracts().containsKey("OpenToken") ? s.token(a.address()).balanceOf(
                    a.address().lowercase()).send() : null;
            return new BigInteger[] {gas, open};
        }, b -> {
            gasBalance.set(WalletViewModel.format(b[0]) + " ETH");
            openBalance.set(b[1] == null ? "no OPEN token on this chain" : WalletViewModel.format(b[1]) + " OPEN");
        });
    }

    boolean faucetAvailable() {
        ChainInfo c = ctx.chainInfo();
        return c != null && c.faucet();
    }

    void faucet() {
        Account a = ctx.selected.get();
        Optional<? extends WalletApi> n = node.get();
        if (a == null || n.isEmpty()) {
            return;
        }
        ctx.run("Asking the devnet faucet", () -> n.get().faucet(a.address().toString()), r -> {
            ctx.message.set("The faucet sent " + r.open() + " test OPEN to " + r.address());
            refreshBalances();
        });
    }
}
