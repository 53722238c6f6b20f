package org.openledger.studio.ui.wallet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.NodeClient;
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
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.review.CallDecoder;
import org.openledger.studio.wallet.review.TransactionReview;
import org.openledger.studio.wallet.signing.SignedTransaction;
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

    private final Wallet wallet;
    private final Path transactionsDb;
    private final Supplier<Optional<NodeClient>> node;
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

    private Mnemonic draft;
    private int[] askedPositions;
    private Session session;

    public WalletViewModel(Wallet wallet, Path transactionsDb, Supplier<Optional<NodeClient>> node, ChainStatus chain,
                           BackgroundTasks tasks, Notices notices) {
        this.wallet = wallet;
        this.transactionsDb = transactionsDb;
        this.node = node;
        this.chain = chain;
        this.tasks = tasks;
        this.notices = notices;
        accounts.setAll(wallet.accounts());
        if (!accounts.isEmpty()) {
            selected.set(accounts.get(0));
        }
        selected.addListener((o, a, b) -> {
            unlocked.set(b != null && wallet.isUnlocked(b.address()));
            refreshBalances();
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

    /** The transaction under review, signed or not yet; null when none. */
    public ObjectProperty<Pending> pendingProperty() {
        return pending;
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
        Account a = selected.get();
        ChainInfo c = chain.infoProperty().get();
        if (a == null || c == null || !c.isReady()) {
            gasBalance.set("–");
            openBalance.set("–");
            return;
        }
        run("Reading balances", () -> {
            Session s = session(c);
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
        Optional<NodeClient> n = node.get();
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
        prepare(c, a.address(), token, "Approve the staking vault to take " + amountOpen + " OPEN",
                s -> s.token(a.address()).approve(vault.lowercase(), amount).encodeFunctionCall(),
                () -> prepare(c, a.address(), vault, "Stake " + amountOpen + " OPEN",
                        s -> s.vault(a.address()).stake(BigInteger.valueOf(kind), targetBytes, amount)
                                .encodeFunctionCall(), this::refreshBalances));
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
        prepare(c, a.address(), vault, "Request to unstake " + amountOpen + " OPEN (withdraw after the cooldown)",
                s -> s.vault(a.address()).requestUnstake(BigInteger.valueOf(kind), targetBytes, amount)
                        .encodeFunctionCall(), this::refreshBalances);
    }

    private BigInteger amount(String amountOpen) {
        try {
            BigInteger amount = new BigDecimal(amountOpen.trim()).movePointRight(18).toBigIntegerExact();
            if (amount.signum() > 0) {
                return amount;
            }
        } catch (ArithmeticException | NumberFormatException e) {
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
        String encode(Session s) throws Exception;
    }

    private void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Runnable next) {
        prepare(c, from, to, description, data, DEFAULT_SETTLE, next, () -> { });
    }

    private static final Settle DEFAULT_SETTLE = (outbox, hash) -> outbox.settle(hash, SETTLE_TIMEOUT);

    private void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Settle settle,
                         Runnable next, Runnable failed) {
        run("Preparing: " + description, () -> {
            Session s = session(c);
            byte[] payload = HexFormat.of().parseHex(data.encode(s).substring(2));
            TransactionRequest r = s.outbox.prepare(from, to, BigInteger.ZERO, payload, FeeSuggestion.Speed.NORMAL);
            return new Pending(description, from, r, s.outbox.review(from, r, s.decoder), null, next, c.network(),
                    settle, failed);
        }, pending::set, failed);
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

    /** Sends the signed transaction and waits for it to be mined; then the next step, if any, is prepared. */
    public void broadcast() {
        Pending p = pending.get();
        if (p == null || p.signed() == null) {
            return;
        }
        run("Broadcasting", () -> {
            Outbox o = session(chain.infoProperty().get()).outbox;
            return p.settle().settle(o, o.broadcast(p.signed())).getTransactionHash();
        }, hash -> {
            pending.set(null);
            message.set(p.description() + ": mined (" + hash + ")");
            p.next().run();
        }, () -> {
            pending.set(null);
            p.failed().run();
        });
    }

    public void cancelReview() {
        pending.set(null);
    }

    private synchronized Session session(ChainInfo c) {
        if (session == null || !session.matches(c)) {
            if (session != null) {
                session.close();
            }
            session = new Session(c, wallet, transactionsDb);
        }
        return session;
    }

    /** Closes the chain connection and the transaction book, and wipes the unlocked keys. */
    public synchronized void close() {
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

    /** 18-decimal amount with up to 4 decimals shown. */
    static String format(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).setScale(4, java.math.RoundingMode.DOWN).stripTrailingZeros()
                .toPlainString();
    }

    /** A transaction on its way: reviewed, then signed, then broadcast. */
    public record Pending(String description, Address from, TransactionRequest request, TransactionReview review,
                          SignedTransaction signed, Runnable next, String network, Settle settle, Runnable failed) {
        Pending withSigned(SignedTransaction s) {
            return new Pending(description, from, request, review, s, next, network, settle, failed);
        }
    }

    /** The connection to one chain: client, nonce book and outbox through the wallet. */
    private static final class Session {
        final ChainInfo info;
        final ChainClient client;
        final NonceBook book;
        final Outbox outbox;
        final CallDecoder decoder = new CallDecoder();

        Session(ChainInfo info, Wallet wallet, Path db) {
            this.info = info;
            this.client = new ChainClient(info.rpcUrl(), info.chainId(),
                    org.openledger.studio.wallet.devnet.Devnet.revertDecoder());
            this.book = NonceBook.open(db, java.time.Clock.systemUTC());
            this.outbox = new Outbox(client, book, wallet);
            info.contracts().forEach((name, address) -> decoder.withContract(Address.parse(address), name,
                    ContractArtifacts.abi(name)));
        }

        boolean matches(ChainInfo other) {
            return other != null && other.rpcUrl().equals(info.rpcUrl()) && other.chainId() == info.chainId()
                    && other.contracts().equals(info.contracts());
        }

        OpenToken token(Address from) {
            return OpenToken.load(info.contracts().get("OpenToken"), client.web3j(),
                    new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
        }

        StakingVault vault(Address from) {
            return StakingVault.load(info.contracts().get("StakingVault"), client.web3j(),
                    new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
        }

        void close() {
            book.close();
            client.close();
        }
    }
}
