package org.openledger.studio.ui.wallet;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainApi;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The chain of the active node, as {@code GET /v1/chain} reports it: asked every few seconds as a task of
 * {@code checks}, shown in the status bar and used by the Wallet view. Empty while no node answers.
 */
public final class ChainStatus {

    static final Duration INTERVAL = Duration.ofSeconds(3);

    private final ActiveNode<ChainApi> activeNode;
    private final BackgroundTasks checks;
    private final ScheduledExecutorService poller;
    private final StringProperty text = new SimpleStringProperty("Chain: waiting for the node");
    private final ObjectProperty<ChainInfo> info = new SimpleObjectProperty<>();
    private ScheduledFuture<?> polling;

    /**
     * @param checks runs the reads of the chain (tasks not listed in the status bar) and hands their answers to the UI
     * @param poller asks for a read every {@link #INTERVAL}
     */
    public ChainStatus(ActiveNode<ChainApi> activeNode, BackgroundTasks checks, ScheduledExecutorService poller) {
        this.activeNode = activeNode;
        this.checks = checks;
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
        polling = poller.scheduleWithFixedDelay(() -> checks.onUi(this::refresh), 0, INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
    }

    /** Asks the active node now; the answer comes on the UI executor. Call on the UI executor. */
    public void refresh() {
        Optional<? extends ChainApi> client = activeNode.get();
        if (client.isEmpty()) {
            show(null, "Chain: no active node");
            return;
        }
        ChainApi node = client.get();
        checks.create("Reading the chain", p -> node.chain())
                .onSuccess(c -> show(c, describe(c)))
                .onError(NodeClientException.class, e -> show(null, e.status() == 404
                        ? "Chain: this node offers no chain" : "Chain: node unreachable"))
                .onError(e -> show(null, "Chain: the node's answer could not be read: " + e.getMessage()))
                .start();
    }

    private void show(ChainInfo c, String line) {
        info.set(c);
        text.set(line);
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
