package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Open;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.staking.StakePosition;

/**
 * Wallet &amp; Staking: the studio's own wallet (keystores under {@code <data>/wallet}, never sent to a node), its
 * accounts, unlocking, balances on the active node's chain, the devnet faucet, and staking through a review that
 * shows everything a transaction commits to before it is signed, then broadcast as a separate step.
 *
 * <p>A facade over the section's parts, which share one {@link WalletContext}: {@link WalletAccounts},
 * {@link WalletStaking}, {@link WalletHistory}, {@link Rewards}, and the {@link TransactionFlow} that the other
 * sections send their calls through (as {@link ReviewedCalls}).
 */
public final class WalletViewModel implements ReviewedCalls {

    /** Why signing actions are off for a watch-only address (tooltips and messages say it the same way). */
    public static final String WATCH_ONLY_REASON = "Watch-only address: this wallet has no key for it, so it can show "
            + "balances but cannot sign";

    private final WalletContext ctx;
    private final WalletHistory history;
    private final TransactionFlow flow;
    private final WalletStaking staking;
    private final WalletAccounts accounts;
    private final Rewards rewards;

    public WalletViewModel(Wallet wallet, Path transactionsDb, ActiveNode<WalletApi> node, ChainStatus chain,
                           BackgroundTasks tasks, Notices notices) {
        this.ctx = new WalletContext(wallet, transactionsDb, chain, tasks, notices);
        this.history = new WalletHistory(ctx);
        this.flow = new TransactionFlow(ctx, history, this::refreshAll);
        this.accounts = new WalletAccounts(ctx, node, flow::cancelReview);
        this.staking = new WalletStaking(ctx, flow, history, accounts::refreshBalances);
        this.rewards = new Rewards(node, tasks, this, ctx.selected);
        ctx.selected.addListener((o, a, b) -> {
            accounts.selectedChanged(b);
            staking.positions().clear();
            history.rows().clear();
            refreshAll();
        });
    }

    // ---- state ----

    public ObservableList<Account> accounts() {
        return accounts.accounts();
    }

    public ObjectProperty<Account> selectedProperty() {
        return ctx.selected;
    }

    public BooleanProperty unlockedProperty() {
        return accounts.unlockedProperty();
    }

    public BooleanProperty busyProperty() {
        return ctx.busy;
    }

    public StringProperty gasBalanceProperty() {
        return accounts.gasBalanceProperty();
    }

    public StringProperty openBalanceProperty() {
        return accounts.openBalanceProperty();
    }

    public StringProperty messageProperty() {
        return ctx.message;
    }

    /** The selected account's positions in the staking vault that still hold OPEN. */
    public ObservableList<StakePosition> positions() {
        return staking.positions();
    }

    /** Every transaction this wallet signed for the selected account, newest first. */
    public ObservableList<HistoryRow> history() {
        return history.rows();
    }

    /** The chain's clock (latest block time, moved on every second); null until first read. */
    public ObjectProperty<Instant> chainNowProperty() {
        return staking.chainNowProperty();
    }

    /** Whether the selected account has a key here (false for watch-only addresses). */
    public BooleanProperty canSignProperty() {
        return accounts.canSignProperty();
    }

    /** The transaction under review, signed or not yet; null when none. */
    public ObjectProperty<PendingReview> pendingProperty() {
        return flow.pendingProperty();
    }

    /** The selected account's rewards on the active node, claimed through this wallet's review. */
    public Rewards rewards() {
        return rewards;
    }

    public boolean hasRecoveryPhrase() {
        return ctx.wallet.hasRecoveryPhrase();
    }

    public ChainStatus chain() {
        return ctx.chain;
    }

    // ---- accounts ----

    /** A new 24-word phrase to show once; its words are returned for display and the draft kept until confirmed. */
    public List<String> startCreate() {
        return accounts.startCreate();
    }

    /** The 1-based positions of the words the user must type back. */
    public int[] askedPositions() {
        return accounts.askedPositions();
    }

    /**
     * Checks the typed words against the draft phrase; when they match, makes the wallet from it under
     * {@code password} (in the background). Every array passed in is wiped.
     *
     * @return false (and nothing created) when a word does not match
     */
    public boolean confirmCreate(char[][] words, char[] password, Runnable done) {
        return accounts.confirmCreate(words, password, done);
    }

    public void discardDraft() {
        accounts.discardDraft();
    }

    public void importMnemonic(char[] phrase, char[] password) {
        accounts.importMnemonic(phrase, password);
    }

    public void importPrivateKey(char[] hex, char[] password) {
        accounts.importPrivateKey(hex, password);
    }

    public void importKeystore(Path file, char[] filePassword, char[] password) {
        accounts.importKeystore(file, filePassword, password);
    }

    /** Adds an address to follow (balances only: this wallet has no key for it). */
    public void watch(String address, String label) {
        accounts.watch(address, label);
    }

    public void unlock(char[] password) {
        accounts.unlock(password);
    }

    public void lock() {
        accounts.lock();
    }

    /** Called from a timer on the FX thread: wipes keys unused for longer than the idle timeout. */
    public void lockIfIdle() {
        accounts.lockIfIdle();
    }

    /** Writes the selected account's keystore v3 file (encrypted under the wallet password) to {@code target}. */
    public void exportKeystore(Path target) {
        accounts.exportKeystore(target);
    }

    /** Re-encrypts the wallet under {@code newPassword}; the wallet is locked afterwards. Both arrays are wiped. */
    public void changePassword(char[] oldPassword, char[] newPassword, Runnable done) {
        accounts.changePassword(oldPassword, newPassword, done);
    }

    public void refreshBalances() {
        accounts.refreshBalances();
    }

    public boolean faucetAvailable() {
        return accounts.faucetAvailable();
    }

    public void faucet() {
        accounts.faucet();
    }

    // ---- staking ----

    /** Stakes {@code amountOpen} OPEN behind {@code target} of {@code kind}: approval (when needed), then stake. */
    public void startStake(String amountOpen, int kind, String target) {
        staking.startStake(amountOpen, kind, target);
    }

    /** Asks to unstake {@code amountOpen} OPEN from {@code target}; withdrawable once the cooldown is over. */
    public void startUnstake(String amountOpen, int kind, String target) {
        staking.startUnstake(amountOpen, kind, target);
    }

    /** Reviews the withdrawal of everything unbonding in {@code position}. */
    public void startWithdraw(StakePosition position) {
        staking.startWithdraw(position);
    }

    public void refreshStakes() {
        staking.refresh();
    }

    /** Moves the chain clock on; called every second from the view's timer. */
    public void tick() {
        staking.tick();
    }

    /** What a countdown shows: the time left until {@code unlockAt} on the chain's clock, or that it is over. */
    public static String countdown(Instant unlockAt, Instant chainNow) {
        return WalletStaking.countdown(unlockAt, chainNow);
    }

    // ---- history, review ----

    public void refreshHistory() {
        history.refresh();
    }

    /** Balances, stakes, rewards and history of the selected account. */
    public void refreshAll() {
        if (ctx.closed()) {
            return;
        }
        accounts.refreshBalances();
        staking.refresh();
        history.refresh();
        rewards.refresh();
    }

    public void changeSpeed(FeeSuggestion.Speed speed) {
        flow.changeSpeed(speed);
    }

    /** Signs the reviewed transaction (nothing is sent yet). */
    public void sign() {
        flow.sign();
    }

    /** Sends the signed transaction and watches it until mined. */
    public void broadcast() {
        flow.broadcast();
    }

    /** Closes the review; a transaction signed but not sent is given up. */
    public void cancelReview() {
        flow.cancelReview();
    }

    public boolean isUnderReview(String hash) {
        return flow.isUnderReview(hash);
    }

    /** Sends a transaction signed and saved but never handed to a node. */
    public void sendSaved(String hash) {
        flow.sendSaved(hash);
    }

    /** Gives up a saved transaction that was never sent; its nonce goes to the next one. */
    public void discardSaved(String hash) {
        flow.discardSaved(hash);
    }

    public void startSpeedUp(String hash) {
        flow.startSpeedUp(hash);
    }

    public void startCancel(String hash) {
        flow.startCancel(hash);
    }

    // ---- reviewed calls for other sections (Datanets, rewards) ----

    @Override
    public Optional<ChainInfo> readyChain() {
        return flow.readyChain();
    }

    @Override
    public Address unlockedAccount() {
        return flow.unlockedAccount();
    }

    @Override
    public ChainClient client(ChainInfo c) {
        return flow.client(c);
    }

    @Override
    public void start(List<Call> calls, Runnable finished) {
        flow.start(calls, finished);
    }

    /** Closes the chain connection and the transaction book, and wipes the unlocked keys. */
    public void close() {
        accounts.discardDraft();
        ctx.wallet.lock();
        ctx.close();
    }

    static String shortHash(String hash) {
        return TransactionFlow.shortHash(hash);
    }

    /** 18-decimal amount with every decimal it has: fees are far below the 4 decimals balances show. */
    static String exact(BigInteger wei) {
        return Open.ofWei(wei).toOpenString();
    }

    /** 18-decimal amount with up to 4 decimals shown. */
    static String format(BigInteger wei) {
        return Open.ofWei(wei).toOpenString(4);
    }
}
