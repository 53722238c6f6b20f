package org.openledger.studio.ui.wallet;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainInfo;

/**
 * The chain of the active node, as {@code GET /v1/chain} reports it: asked every few seconds off the FX thread, shown
 * in the status bar and used by the Wallet view. Empty while no node answers.
 */
public final class ChainStatus {

    static final Duration INTERVAL = Duration.ofSeconds(3);

    private final Supplier<Optional<NodeClient>> activeNode;
    private final Executor executor;
    private final ScheduledExecutorService poller;
    private final StringProperty text = new SimpleStringProperty("Chain: waiting for the node");
    private final ObjectProperty<ChainInfo> info = new SimpleObjectProperty<>();
    private ScheduledFuture<?> polling;

    public ChainStatus(Supplier<Optional<NodeClient>> activeNode, Executor executor, ScheduledExecutorService poller) {
        this.activeNode = activeNode;
        this.executor = executor;
        this.poller = poller;
    }

    public ReadOnlyStringProperty textProperty() {
        return text;
    }

    /** The last answer, null while none. */
    public ReadOnlyObjectProperty<ChainInfo> infoProperty() {
        return info;
    }

    public void start() {
        polling = poller.scheduleWithFixedDelay(this::refreshNow, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
    }

    /** Asks the active node now (off the FX thread). */
    public void refresh() {
        executor.execute(this::refreshNow);
    }

    private void refreshNow() {
        Optional<NodeClient> client = activeNode.get();
        if (client.isEmpty()) {
            Platform.runLater(() -> {
                info.set(null);
                text.set("Chain: no active node");
            });
            return;
        }
        try {
            ChainInfo c = client.get().chain();
            Platform.runLater(() -> {
                info.set(c);
                text.set(describe(c));
            });
        } catch (NodeClientException e) {
            String why = e.status() == 404 ? "Chain: this node offers no chain" : "Chain: node unreachable";
            Platform.runLater(() -> {
                info.set(null);
                text.set(why);
            });
        }
    }

    /** One line for the status bar, e.g. "Chain: Local devnet (31337), ready". */
    public static String describe(ChainInfo c) {
        String head = "Chain: " + c.network() + " (" + c.chainId() + ")";
        return switch (c.status()) {
            case ChainInfo.READY -> head + ", ready";
            case ChainInfo.STARTING -> head + ", starting…";
            default -> head + ", failed: " + c.error();
        };
    }
}
