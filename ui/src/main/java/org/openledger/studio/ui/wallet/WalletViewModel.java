package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.contracts.ContractArtifacts;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.StakingVault;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.PendingTransaction;
import org.openledger.studio.wallet.review.CallDecoder;
import org.openledger.studio.wallet.review.TransactionReview;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.staking.StakePosition;
import org.openledger.studio.wallet.staking.Staking;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Wallet &amp; Staking: the studio's own wallet (keystores under {@code <data>/wallet}, never sent to a node), its
 * accounts, unlocking, balances on the active node's chain, the devnet faucet, and staking through a review that
 * shows everything a transaction commits to before it is signed, then broadcast as a separate step.
 */
public final class WalletViewModel implements ReviewedCalls {

    /** Positions (1-based) asked back when a new phrase is confirmed. */
    static final int CONFIRM_WORDS = 3;
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /** Seconds between re-reads of the chain while a cooldown runs or a transaction is pending. */
    static final int REREAD_TICKS = 10;

    private final Wallet wallet;
    private final Path transactionsDb;
    private final ActiveNode<WalletApi> node;
    private final ChainStatus chain;
    private final BackgroundTasks tasks;
    private final Notices notices;
    private final SecureRandom random = new SecureRandom();

    private final ObservableList<Account> accounts = FXCollections.observableArrayList();
    private final ObjectProperty<Account> selected = new SimpleObjectProperty<>();
    private final BooleanProperty unlocked = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty gasBalance = new SimpleStringProperty("–");
    private final StringProperty openBalance = new SimpleStringProperty("–");
    private final StringProperty message = new SimpleStringProperty("");
    private final ObjectProperty<Pending> pending = new SimpleObjectProperty<>();
    private final ObservableList<StakePosition> positions = FXCollections.observableArrayList();
    private final ObservableList<HistoryRow> history = FXCollections.observableArrayList();
    private final ObjectProperty<Instant> chainNow = new SimpleObjectProperty<>();
    private final BooleanProperty canSign = new SimpleBooleanProperty(false);
    private volatile Stakes chainAnchor;
    private long ticks;
    private volatile boolean closed;

    private final Rewards rewards;

    private Mnemonic draft;
    private int[] askedPositions;
    private ChainSession session;

    public WalletViewModel(Wallet wallet, Path transactionsDb, ActiveNode<WalletApi> node, ChainStatus chain,
                           BackgroundTasks tasks, Notices notices) {
        this.wallet = wallet;
        this.transactionsDb = transactionsDb;
        this.node = node;
        this.chain = chain;
        this.tasks = tasks;
        this.notices = notices;
        this.rewards = new Rewards(node, tasks, this, selected);
        accounts.setAll(wallet.accounts());
        if (!accounts.isEmpty()) {
            selected.set(accounts.get(0));
            canSign.set(accounts.get(0).canSign());
        }
        selected.addListener((o, a, b) -> {
            unlocked.set(b != null && wallet.isUnlocked(b.address()));
            canSign.set(b != null && b.canSign());
            positions.clear();
            history.clear();
            refreshAll();
        });
    }

    public ObservableList<Account> accounts() {
        return accounts;
    }

    public ObjectProperty<Account> selectedProperty() {
        return selected;
    }

    public BooleanProperty unlockedProperty() {
        return unlocked;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty gasBalanceProperty() {
        return gasBalance;
    }

    public StringProperty openBalanceProperty() {
        return openBalance;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** The selected account's positions in the staking vault that still hold OPEN. */
    public ObservableList<StakePosition> positions() {
        return positions;
    }

    /** Every transaction this wallet signed for the selected account, newest first. */
    public ObservableList<HistoryRow> history() {
        return history;
    }

    /** The chain's clock (latest block time, moved on every second); null until first read. */
    public ObjectProperty<Instant> chainNowProperty() {
        return chainNow;
    }

    /** Whether the selected account has a key here (false for watch-only addresses). */
    public BooleanProperty canSignProperty() {
        return canSign;
    }

    /** The transaction under review, signed or not yet; null when none. */
    public ObjectProperty<Pending> pendingProperty() {
        return pending;
    }

    /** The selected account's rewards on the active node, claimed through this wallet's review. */
    public Rewards rewards() {
        return rewards;
    }

    public boolean hasRecoveryPhrase() {
        return wallet.hasRecoveryPhrase();
    }

    public ChainStatus chain() {
        return chain;
    }

    // ---- create, confirm, import ----

    /** A new 24-word phrase to show once; its words are returned for display and the draft kept until confirmed. */
    public List<String> startCreate() {
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

    /** The 1-based positions of the words the user must type back. */
    public int[] askedPositions() {
        return askedPositions.clone();
    }

    /**
     * Checks the typed words against the draft phrase; when they match, makes the wallet from it under
     * {@code password} (in the background). Every array passed in is wiped.
     *
     * @return false (and nothing created) when a word does not match
     */
    public boolean confirmCreate(char[][] words, char[] password, Runnable done) {
        boolean ok = draft != null;
        for (int i = 0; i < words.length; i++) {
            try (Secret w = Secret.of(words[i])) {
                ok &= i < askedPositions.length && draft.wordAt(askedPositions[i], w);
            }
        }
        if (!ok) {
            Secret.wipe(password);
            message.set("Those words do not match the phrase: check what you wrote down");
            return false;
        }
        Mnemonic m = draft;
        draft = null;
        run("Creating the wallet", () -> {
            try (m; Secret p = Secret.of(password)) {
                Account a = wallet.createFromMnemonic(m, p);
                wallet.unlock(a.address(), p);
                return a;
            }
        }, a -> {
            accountsChanged(a);
            done.run();
        });
        return true;
    }

    public void discardDraft() {
        if (draft != null) {
            draft.close();
            draft = null;
        }
    }

    public void importMnemonic(char[] phrase, char[] password) {
        run("Importing the recovery phrase", () -> {
            try (Secret s = Secret.of(phrase); Mnemonic m = Mnemonic.parse(s); Secret p = Secret.of(password)) {
                return wallet.createFromMnemonic(m, p);
            }
        }, this::accountsChanged);
    }

    public void importPrivateKey(char[] hex, char[] password) {
        run("Importing the private key", () -> {
            try (Secret s = Secret.of(hex); PrivateKey k = PrivateKey.parseHex(s); Secret p = Secret.of(password)) {
                return wallet.importPrivateKey(k, p, "Imported");
            }
        }, this::accountsChanged);
    }

    public void importKeystore(Path file, char[] filePassword, char[] password) {
        run("Importing the keystore", () -> {
            try (Secret f = Secret.of(filePassword); Secret p = Secret.of(password)) {
                return wallet.importKeystore(file, f, p, file.getFileName().toString());
            }
        }, this::accountsChanged);
    }

    private void accountsChanged(Account a) {
        accounts.setAll(wallet.accounts());
        selected.set(null);
        selected.set(accounts.stream().filter(x -> x.address().equals(a.address())).findFirst().orElse(null));
        message.set("Account " + a.address() + " is ready");
    }

    // ---- unlock, lock ----

    public void unlock(char[] password) {
        Account a = selected.get();
        if (a == null) {
            Secret.wipe(password);
            return;
        }
        run("Unlocking", () -> {
            try (Secret p = Secret.of(password)) {
                wallet.unlock(a.address(), p);
                return a;
            }
        }, x -> {
            unlocked.set(true);
            message.set("Unlocked; it locks itself after a few idle minutes");
        });
    }

    public void lock() {
        wallet.lock();
        unlocked.set(false);
        cancelReview();
    }

    /** Called from a timer on the FX thread: wipes keys unused for longer than the idle timeout. */
    public void lockIfIdle() {
        if (wallet.lockIfIdle()) {
            unlocked.set(false);
            message.set("Locked after being idle");
        }
    }

    // ---- chain: balances, faucet, staking ----

    public void refreshBalances() {
        if (closed) {
            return;
        }
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || c == null || !c.isReady()) {
            gasBalance.set("–");
            openBalance.set("–");
            return;
        }
        run("Reading balances", () -> {
            ChainSession s = session(c);
            BigInteger gas = s.client.balance(a.address());
            BigInteger open = c.contracts().containsKey("OpenToken") ? s.token(a.address()).balanceOf(
                    a.address().lowercase()).send() : null;
            return new BigInteger[] {gas, open};
        }, b -> {
            gasBalance.set(format(b[0]) + " ETH");
            openBalance.set(b[1] == null ? "no OPEN token on this chain" : format(b[1]) + " OPEN");
        });
    }

    public boolean faucetAvailable() {
        ChainInfo c = chain.infoProperty().get();
        return c != null && c.faucet();
    }

    public void faucet() {
        Account a = selected.get();
        Optional<? extends WalletApi> n = node.get();
        if (a == null || n.isEmpty()) {
            return;
        }
        run("Asking the devnet faucet", () -> n.get().faucet(a.address().toString()), r -> {
            message.set("The faucet sent " + r.open() + " test OPEN to " + r.address());
            refreshBalances();
        });
    }

    /**
     * Starts staking {@code amountOpen} OPEN behind {@code target} (32 bytes hex) of {@code kind} (0 Datanet, 1 model,
     * 2 node): first the approval, then the stake, each reviewed, signed and broadcast separately.
     */
    public void startStake(String amountOpen, int kind, String target) {
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        BigInteger amount = amount(amountOpen);
        byte[] targetBytes = target(target);
        if (amount == null || targetBytes == null) {
            return;
        }
        if (a == null || c == null || !c.isReady() || !c.contracts().containsKey("StakingVault")) {
            message.set("Staking needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        Address token = Address.parse(c.contracts().get("OpenToken"));
        // the approval is asked for only when the allowance does not cover the stake (Staking decides, as the CLI's)
        run("Reading the staking vault's allowance", () -> Staking.stake(Staking.allowance(session(c).client, token,
                a.address(), vault), token, vault, BigInteger.valueOf(kind), targetBytes, amount),
                calls -> prepareAll(c, a.address(), calls, amountOpen));
    }

    /** Reviews each call in turn (the next once the one before is mined), then refreshes the balances. */
    private void prepareAll(ChainInfo c, Address from, List<Staking.Call> calls, String amountOpen) {
        if (calls.isEmpty()) {
            refreshBalances();
            return;
        }
        Staking.Call call = calls.get(0);
        String what = switch (call.step()) {
            case APPROVE -> "Approve the staking vault to take " + amountOpen + " OPEN";
            case STAKE -> "Stake " + amountOpen + " OPEN";
            case REQUEST_UNSTAKE -> "Request to unstake " + amountOpen + " OPEN (withdraw after the cooldown)";
            case WITHDRAW -> "Withdraw";
        };
        prepare(c, from, call.to(), what, s -> org.web3j.utils.Numeric.toHexString(call.data()),
                () -> prepareAll(c, from, calls.subList(1, calls.size()), amountOpen));
    }

    /**
     * Starts asking to unstake {@code amountOpen} OPEN from {@code target}: reviewed, signed and broadcast like a stake;
     * the OPEN can be withdrawn once the vault's cooldown is over.
     */
    public void startUnstake(String amountOpen, int kind, String target) {
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        BigInteger amount = amount(amountOpen);
        byte[] targetBytes = target(target);
        if (amount == null || targetBytes == null) {
            return;
        }
        if (a == null || c == null || !c.isReady() || !c.contracts().containsKey("StakingVault")) {
            message.set("Unstaking needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        prepareAll(c, a.address(), List.of(Staking.requestUnstake(vault, BigInteger.valueOf(kind), targetBytes,
                amount)), amountOpen);
    }

    // ---- stakes: positions, the chain's clock, withdraw ----

    /**
     * Reads the selected account's positions in the staking vault and the chain's clock (the latest block's
     * timestamp), which the cooldown timers count from; {@link #tick()} moves that clock on between reads.
     */
    public void refreshStakes() {
        if (closed) {
            return;
        }
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || c == null || !c.isReady() || !c.contracts().containsKey("StakingVault")) {
            positions.clear();
            return;
        }
        tasks.create("Reading stakes", progress -> {
            ChainSession s = session(c);
            return new Stakes(s.positions().of(a.address()), s.client.latestBlockTime(), System.nanoTime());
        }).onSuccess(st -> {
            if (a.equals(selected.get())) {
                chainAnchor = st;
                positions.setAll(st.positions());
                tick();
            }
        }).onError(e -> message.set("Reading the stakes failed: " + e.getMessage())).start();
    }

    /**
     * Moves the chain clock on by the local time since the last read: blocks carry the time their producer gave them,
     * so between reads the chain's next block time is the last block time plus the time elapsed. Called every second
     * from the view's timer; also re-reads the chain every {@code REREAD_TICKS} ticks while something is unbonding or
     * pending, so a timer never runs on a stale clock for long.
     */
    public void tick() {
        if (closed) {
            return;
        }
        Stakes anchor = chainAnchor;
        if (anchor != null) {
            chainNow.set(anchor.chainTime().plusNanos(System.nanoTime() - anchor.readAtNanos()));
        }
        if (++ticks % REREAD_TICKS == 0 && !busy.get()) {
            boolean waiting = positions.stream().anyMatch(p -> p.unbonding().signum() > 0)
                    || history.stream().anyMatch(HistoryRow::replaceable);
            if (waiting) {
                refreshStakes();
                refreshHistory();
            }
        }
    }

    /** Reviews the withdrawal of everything unbonding in {@code position} (enabled once its cooldown is over). */
    public void startWithdraw(StakePosition position) {
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || c == null || !c.isReady() || !c.contracts().containsKey("StakingVault")) {
            message.set("Withdrawing needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        prepare(c, a.address(), vault, "Withdraw " + format(position.unbonding()) + " OPEN from "
                + position.kindName() + " " + shortHash(position.targetHex()),
                s -> org.web3j.utils.Numeric.toHexString(Staking.withdraw(vault, position.kind().code(),
                        position.target()).data()), () -> {
                });
    }

    /** What a countdown shows: the time left until {@code unlockAt} on the chain's clock, or that it is over. */
    public static String countdown(Instant unlockAt, Instant chainNow) {
        if (chainNow == null) {
            return "…";
        }
        long left = Duration.between(chainNow, unlockAt).getSeconds();
        if (left <= 0) {
            return "ready to withdraw";
        }
        long d = left / 86_400;
        long h = left % 86_400 / 3600;
        long m = left % 3600 / 60;
        long sec = left % 60;
        return (d > 0 ? d + "d " : "") + String.format("%02d:%02d:%02d", h, m, sec) + " left";
    }

    // ---- history ----

    /** Reads every transaction this wallet signed for the selected account, statuses brought up to date. */
    public void refreshHistory() {
        if (closed) {
            return;
        }
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || c == null || !c.isReady()) {
            history.clear();
            return;
        }
        tasks.create("Reading the history", progress -> {
            ChainSession s = session(c);
            return s.outbox.history(a.address()).stream().map(t -> HistoryRow.of(t, s.decoder)).toList();
        }).onSuccess(rows -> {
            if (a.equals(selected.get())) {
                history.setAll(rows);
            }
        }).onError(e -> message.set("Reading the history failed: " + e.getMessage())).start();
    }

    /** Balances, stakes, rewards and history of the selected account. */
    public void refreshAll() {
        if (closed) {
            return;
        }
        refreshBalances();
        refreshStakes();
        refreshHistory();
        rewards.refresh();
    }

    // ---- accounts: watch-only, export, password ----

    /** Adds an address to follow (balances only: this wallet has no key for it). */
    public void watch(String address, String label) {
        Address parsed;
        try {
            parsed = Address.parse(address.trim());
        } catch (RuntimeException e) {
            message.set("Not an address: " + e.getMessage());
            return;
        }
        run("Adding a watch-only address", () -> wallet.watch(parsed, label == null || label.isBlank()
                ? "Watched" : label.trim()), this::accountsChanged);
    }

    /** Writes the selected account's keystore v3 file (encrypted under the wallet password) to {@code target}. */
    public void exportKeystore(Path target) {
        Account a = selected.get();
        if (a == null || !a.canSign()) {
            message.set(WATCH_ONLY_REASON);
            return;
        }
        run("Exporting the keystore", () -> {
            wallet.exportKeystore(a.address(), target);
            return target;
        }, t -> message.set("Keystore of " + a.address() + " written to " + t + " (encrypted under the wallet "
                + "password)"));
    }

    /**
     * Re-encrypts the wallet under {@code newPassword} once {@code oldPassword} is checked; the wallet is locked
     * afterwards, so the next unlock uses the new password. Both arrays are wiped.
     */
    public void changePassword(char[] oldPassword, char[] newPassword, Runnable done) {
        run("Changing the wallet password", () -> {
            try (Secret o = Secret.of(oldPassword); Secret n = Secret.of(newPassword)) {
                wallet.changePassword(o, n);
                return true;
            }
        }, x -> {
            lock();
            message.set("Password changed: every key is now encrypted under the new password. Unlock with it.");
            done.run();
        });
    }

    /** Why signing actions are off for a watch-only address (tooltips and messages say it the same way). */
    public static final String WATCH_ONLY_REASON = "Watch-only address: this wallet has no key for it, so it can show "
            + "balances but cannot sign";

    private BigInteger amount(String amountOpen) {
        try {
            BigInteger amount = org.openledger.studio.wallet.Open.parse(amountOpen).wei();
            if (amount.signum() > 0) {
                return amount;
            }
        } catch (org.openledger.studio.wallet.Open.InvalidAmountException e) {
            // falls through to the message
        }
        message.set("The amount must be a positive number of OPEN with at most 18 decimals");
        return null;
    }

    private byte[] target(String target) {
        try {
            String t = target.trim().startsWith("0x") ? target.trim().substring(2) : target.trim();
            byte[] bytes = HexFormat.of().parseHex(t);
            if (bytes.length == 32) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message
        }
        message.set("The target is a 32-byte id: 0x and 64 hex digits");
        return null;
    }

    private interface CallData {
        String encode(ChainSession s) throws Exception;
    }

    /** How a reviewed transaction's fees are set for a fee level: the same nonce, call and gas, other fees. */
    interface Refee {
        TransactionRequest apply(ChainSession s, FeeSuggestion.Fee fee);
    }

    private void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Runnable next) {
        prepare(c, from, to, description, data, DEFAULT_SETTLE, next, () -> { });
    }

    private static final Settle DEFAULT_SETTLE = (outbox, hash) -> outbox.settle(hash, SETTLE_TIMEOUT);

    private void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Settle settle,
                         Runnable next, Runnable failed) {
        run("Preparing: " + description, () -> {
            ChainSession s = session(c);
            byte[] payload = HexFormat.of().parseHex(data.encode(s).substring(2));
            FeeSuggestion.Speed speed = FeeSuggestion.Speed.NORMAL;
            TransactionRequest r = s.outbox.prepare(from, to, BigInteger.ZERO, payload, speed);
            FeeSuggestion fees = s.outbox.fees();
            Refee refee = (x, fee) -> r.withFees(fee.maxFeePerGas(), fee.maxPriorityFeePerGas());
            return new Pending(description, from, r, s.outbox.review(from, r, s.decoder), null, next, c.network(),
                    speed, fees, refee, null, settle, failed);
        }, pending::set, failed);
    }

    /**
     * Changes the fee level of the transaction under review (before it is signed): the fees come from the same
     * {@code eth_feeHistory} answer, and the review (maximum cost, balance warning) is worked out again.
     */
    public void changeSpeed(FeeSuggestion.Speed speed) {
        Pending p = pending.get();
        if (p == null || p.signed() != null || p.speed() == speed) {
            return;
        }
        run("Fee level: " + speed.name().toLowerCase(java.util.Locale.ROOT), () -> {
            ChainSession s = session(chain.infoProperty().get());
            TransactionRequest r = p.refee().apply(s, p.fees().level(speed));
            return p.withRequest(r, s.outbox.review(p.from(), r, s.decoder), speed);
        }, pending::set);
    }

    // ---- reviewed calls for other sections (Datanets) ----

    @Override
    public Optional<ChainInfo> readyChain() {
        ChainInfo c = chain.infoProperty().get();
        return c != null && c.isReady() ? Optional.of(c) : Optional.empty();
    }

    @Override
    public Address unlockedAccount() {
        Account a = selected.get();
        if (a != null && !a.canSign()) {
            throw new IllegalStateException(WATCH_ONLY_REASON);
        }
        if (a == null || !wallet.isUnlocked(a.address())) {
            throw new IllegalStateException("Select and unlock an account in Wallet & Staking to sign it");
        }
        return a.address();
    }

    @Override
    public ChainClient client(ChainInfo c) {
        return session(c).client;
    }

    @Override
    public void start(List<Call> calls, Runnable finished) {
        if (calls.isEmpty()) {
            finished.run();
            return;
        }
        ChainInfo c = readyChain().orElse(null);
        if (c == null) {
            message.set("The chain is not ready");
            finished.run();
            return;
        }
        Address from;
        try {
            from = unlockedAccount();
        } catch (IllegalStateException e) {
            message.set(e.getMessage());
            finished.run();
            return;
        }
        Call first = calls.get(0);
        List<Call> rest = calls.subList(1, calls.size());
        prepare(c, from, first.to(), first.description(), s -> "0x" + HexFormat.of().formatHex(first.data()),
                first.settle() == null ? DEFAULT_SETTLE : first.settle(),
                rest.isEmpty() ? finished : () -> start(rest, finished), finished);
    }

    /** Signs the reviewed transaction (nothing is sent yet). */
    public void sign() {
        Pending p = pending.get();
        if (p == null || p.signed() != null) {
            return;
        }
        run("Signing", () -> session(chain.infoProperty().get()).outbox.sign(p.from(), p.request(), p.description()),
                signed -> pending.set(p.withSigned(signed)), () -> { });
    }

    /**
     * Sends the signed transaction; the review closes as soon as a node accepted it, and a watcher (which keeps no
     * button disabled) waits for it or its replacement to be mined. A transaction still pending after
     * {@link #SETTLE_TIMEOUT} stays in the history, where it can be sped up or cancelled.
     */
    public void broadcast() {
        Pending p = pending.get();
        if (p == null || p.signed() == null) {
            return;
        }
        ChainInfo c = chain.infoProperty().get();
        run("Broadcasting", () -> session(c).outbox.broadcast(p.signed()), hash -> {
            pending.set(null);
            message.set(p.description() + ": sent (" + hash + "), waiting for it to be mined");
            refreshHistory();
            watch(c, p, hash);
        });
    }

    /**
     * Waits for a broadcast transaction off the FX thread. The wallet's own transactions wait for it or a replacement
     * (speed-up, cancel) to be mined; a call another section sent waits through its own {@link Settle} (which may
     * record it as pending first). Then the next step runs, or {@code failed} when it reverted, was cancelled or
     * timed out.
     */
    private void watch(ChainInfo c, Pending p, String hash) {
        if (p.settle() != null && p.settle() != DEFAULT_SETTLE) {
            tasks.create("Waiting for " + shortHash(hash), progress -> p.settle().settle(session(c).outbox, hash))
                    .onSuccess(receipt -> {
                        message.set(p.description() + ": mined (" + receipt.getTransactionHash() + ")");
                        p.next().run();
                        refreshAll();
                    }).onError(e -> {
                        message.set(p.description() + ": " + e.getMessage());
                        p.failed().run();
                        refreshAll();
                    }).start();
            return;
        }
        tasks.create("Waiting for " + shortHash(hash), progress -> session(c).outbox.awaitSettled(hash,
                SETTLE_TIMEOUT)).onSuccess(mined -> {
                    boolean replaced = !mined.hash().equals(hash);
                    if (mined.status() == PendingTransaction.Status.FAILED) {
                        message.set(p.description() + ": reverted (" + mined.hash() + "): " + mined.reason());
                        p.failed().run();
                    } else if (replaced && mined.description().startsWith("cancel of ")) {
                        message.set(p.description() + ": cancelled (" + mined.hash() + " was mined instead)");
                        p.failed().run();
                    } else {
                        message.set(p.description() + ": mined (" + mined.hash() + ")");
                        p.next().run();
                    }
                    refreshAll();
                }).onError(e -> {
                    message.set(p.description() + ": " + e.getMessage());
                    p.failed().run();
                    refreshHistory();
                }).start();
    }

    /**
     * Closes the review; a transaction signed but not sent is given up (its nonce is free for the next one), and the
     * section that asked for it (Datanets) is told it ended.
     */
    public void cancelReview() {
        Pending p = pending.get();
        pending.set(null);
        if (p != null) {
            p.failed().run();
        }
        if (p != null && p.signed() != null) {
            ChainInfo c = chain.infoProperty().get();
            run("Discarding the signed transaction", () -> {
                session(c).outbox.discard(p.signed().hash());
                return p;
            }, x -> refreshHistory());
        }
    }

    // ---- saved transactions never sent: send or discard ----

    /** True while {@code hash} is the signed transaction of the open review (its Broadcast button sends it). */
    public boolean isUnderReview(String hash) {
        Pending p = pending.get();
        return p != null && p.signed() != null && p.signed().hash().equals(hash);
    }

    /**
     * Sends a transaction signed and saved but never handed to a node (the studio stopped between signing and
     * broadcasting, or the node was unreachable): its saved bytes as they are, then waits for it to be mined.
     */
    public void sendSaved(String hash) {
        ChainInfo c = chain.infoProperty().get();
        run("Sending " + shortHash(hash), () -> {
            ChainSession s = session(c);
            return s.outbox.broadcast(s.outbox.unsent(hash));
        }, sent -> {
            message.set("Sent " + shortHash(sent) + ", waiting for it to be mined");
            refreshHistory();
            tasks.create("Waiting for " + shortHash(sent), progress -> session(c).outbox.awaitSettled(sent,
                    SETTLE_TIMEOUT)).onSuccess(mined -> {
                        message.set(mined.status() == PendingTransaction.Status.FAILED
                                ? "Reverted (" + mined.hash() + "): " + mined.reason()
                                : "Mined (" + mined.hash() + ")");
                        refreshAll();
                    }).onError(e -> {
                        message.set(shortHash(sent) + ": " + e.getMessage());
                        refreshAll();
                    }).start();
        }, this::refreshHistory);
    }

    /** Gives up a saved transaction that was never sent; its nonce goes to the next one. */
    public void discardSaved(String hash) {
        ChainInfo c = chain.infoProperty().get();
        run("Discarding " + shortHash(hash), () -> {
            ChainSession s = session(c);
            s.outbox.unsent(hash);
            s.outbox.discard(hash);
            return hash;
        }, h -> {
            message.set("Discarded " + shortHash(h) + ": it will never be sent");
            refreshHistory();
        });
    }

    // ---- pending transactions: speed up, cancel ----

    /** Reviews a replacement of pending {@code hash} with the same call and higher fees (fast by default). */
    public void startSpeedUp(String hash) {
        startReplacement(hash, "Speed up " + shortHash(hash), (s, fee) -> s.outbox.speedUpRequest(hash, fee));
    }

    /** Reviews a replacement of pending {@code hash} that does nothing (0 to oneself), with higher fees. */
    public void startCancel(String hash) {
        startReplacement(hash, "Cancel " + shortHash(hash), (s, fee) -> s.outbox.cancelRequest(hash, fee));
    }

    private void startReplacement(String hash, String description, Refee build) {
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || !a.canSign()) {
            message.set("Only an account of this wallet that can sign can replace its transactions");
            return;
        }
        run("Preparing: " + description, () -> {
            ChainSession s = session(c);
            FeeSuggestion fees = s.outbox.fees();
            FeeSuggestion.Speed speed = FeeSuggestion.Speed.FAST;
            TransactionRequest r = build.apply(s, fees.level(speed));
            return new Pending(description, a.address(), r, s.outbox.review(a.address(), r, s.decoder), null, () -> {
            }, c.network(), speed, fees, build, hash, DEFAULT_SETTLE, () -> { });
        }, pending::set);
    }

    static String shortHash(String hash) {
        return hash.length() > 14 ? hash.substring(0, 10) + "…" + hash.substring(hash.length() - 4) : hash;
    }

    private synchronized ChainSession session(ChainInfo c) {
        if (c == null || !c.isReady()) {
            throw new org.openledger.studio.wallet.chain.ChainException("The chain is not ready: "
                    + (c == null ? "no node answers" : c.status()));
        }
        if (session == null || !session.matches(c)) {
            if (session != null) {
                session.close();
            }
            session = new ChainSession(c, wallet, transactionsDb);
        }
        return session;
    }

    /** Closes the chain connection and the transaction book, and wipes the unlocked keys. */
    public synchronized void close() {
        closed = true;
        discardDraft();
        wallet.lock();
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private interface Job<T> {
        T call() throws Exception;
    }

    private <T> void run(String title, Job<T> work, java.util.function.Consumer<T> ok) {
        run(title, work, ok, () -> { });
    }

    private <T> void run(String title, Job<T> work, java.util.function.Consumer<T> ok, Runnable failed) {
        busy.set(true);
        tasks.create(title, progress -> work.call()).onSuccess(ok).onError(e -> {
            message.set(e.getMessage());
            notices.post(Notices.Level.ERROR, title + ": " + e.getMessage());
            failed.run();
        }).andFinally(() -> busy.set(false)).start();
    }

    /** Positions read together with the chain's clock and the local moment of the read. */
    private record Stakes(List<StakePosition> positions, Instant chainTime, long readAtNanos) {
    }

    /** 18-decimal amount with every decimal it has: fees are far below the 4 decimals balances show. */
    static String exact(BigInteger wei) {
        return org.openledger.studio.wallet.Open.ofWei(wei).toOpenString();
    }

    /** 18-decimal amount with up to 4 decimals shown. */
    static String format(BigInteger wei) {
        return org.openledger.studio.wallet.Open.ofWei(wei).toOpenString(4);
    }

    /**
     * A transaction on its way: reviewed, then signed, then broadcast. {@code fees} is the {@code eth_feeHistory}
     * answer the levels come from; {@code replaces} is the pending transaction a speed-up or cancel replaces;
     * {@code settle} waits for it once broadcast ({@code DEFAULT_SETTLE} for the wallet's own, which the watcher
     * follows through replacements); {@code failed} runs when it is cancelled, fails or reverts.
     */
    public record Pending(String description, Address from, TransactionRequest request, TransactionReview review,
                          SignedTransaction signed, Runnable next, String network, FeeSuggestion.Speed speed,
                          FeeSuggestion fees, Refee refee, String replaces, Settle settle, Runnable failed) {
        Pending withSigned(SignedTransaction s) {
            return new Pending(description, from, request, review, s, next, network, speed, fees, refee, replaces,
                    settle, failed);
        }

        Pending withRequest(TransactionRequest r, TransactionReview rv, FeeSuggestion.Speed sp) {
            return new Pending(description, from, r, rv, signed, next, network, sp, fees, refee, replaces, settle,
                    failed);
        }
    }
}
