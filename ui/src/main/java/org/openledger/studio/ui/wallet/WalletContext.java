package org.openledger.studio.ui.wallet;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainException;

/**
 * What the parts of Wallet &amp; Staking share: the wallet, the selected account, the one chain session, the
 * section's busy flag and message line, and the way they run work in the background (errors shown in the message
 * line and posted as notices).
 */
final class WalletContext {

    final Wallet wallet;
    final ChainStatus chain;
    final BackgroundTasks tasks;
    private final Path transactionsDb;
    private final Notices notices;

    final ObjectProperty<Account> selected = new SimpleObjectProperty<>();
    final BooleanProperty busy = new SimpleBooleanProperty(false);
    final StringProperty message = new SimpleStringProperty("");
    private volatile boolean closed;
    private ChainSession session;

    WalletContext(Wallet wallet, Path transactionsDb, ChainStatus chain, BackgroundTasks tasks, Notices notices) {
        this.wallet = wallet;
        this.transactionsDb = transactionsDb;
        this.chain = chain;
        this.tasks = tasks;
        this.notices = notices;
    }

    /** The active node's chain as last read; null when no node answers. */
    ChainInfo chainInfo() {
        return chain.infoProperty().get();
    }

    /** Whether the chain is ready and has the contract {@code name}. */
    boolean hasContract(ChainInfo c, String name) {
        return c != null && c.isReady() && c.contracts().containsKey(name);
    }

    boolean closed() {
        return closed;
    }

    /**
     * The session for {@code c}, made anew when the node reports another chain.
     *
     * @throws ChainException saying why when the chain is not ready
     */
    synchronized ChainSession session(ChainInfo c) {
        if (c == null || !c.isReady()) {
            throw new ChainException("The chain is not ready: " + (c == null ? "no node answers" : c.status()));
        }
        if (session == null || !session.matches(c)) {
            if (session != null) {
                session.close();
            }
            session = new ChainSession(c, wallet, transactionsDb);
        }
        return session;
    }

    /** Stops every later refresh and closes the chain session. */
    synchronized void close() {
        closed = true;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    interface Job<T> {
        T call() throws Exception;
    }

    <T> void run(String title, Job<T> work, Consumer<T> ok) {
        run(title, work, ok, () -> { });
    }

    /** Runs {@code work} in the background with the section busy; on failure says why and runs {@code failed}. */
    <T> void run(String title, Job<T> work, Consumer<T> ok, Runnable failed) {
        busy.set(true);
        tasks.create(title, progress -> work.call()).onSuccess(ok).onError(e -> {
            message.set(e.getMessage());
            notices.post(Notices.Level.ERROR, title + ": " + e.getMessage());
            failed.run();
        }).andFinally(() -> busy.set(false)).start();
    }
}
