package org.openledger.studio.ui.nodes;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.ui.settings.Settings;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The nodes the studio knows (the local one first, then the remote ones the user added), which one is active, and
 * how each one answers. Network calls run on {@code checks}; results land on the FX thread.
 */
public final class NodesViewModel {

    /** How often the active node is asked whether it is still there. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private final NodeDirectory directory;
    private final LocalNode localNode;
    private final OkHttpClient http;
    private final BackgroundTasks tasks;
    private final Executor checks;
    private final ScheduledExecutorService poller;
    private final Notices notices;
    private final Consumer<String> activeChanged;

    private final ObservableList<NodeRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<NodeRow> active = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<NodeRow> selected = new SimpleObjectProperty<>();
    private final NodeRow local;
    private ScheduledFuture<?> polling;

    public NodesViewModel(NodeDirectory directory, LocalNode localNode, OkHttpClient http, BackgroundTasks tasks,
                          Executor checks, ScheduledExecutorService poller, Notices notices,
                          String initialActiveId, Consumer<String> activeChanged) {
        this.directory = directory;
        this.localNode = localNode;
        this.http = http;
        this.tasks = tasks;
        this.checks = checks;
        this.poller = poller;
        this.notices = notices;
        this.activeChanged = activeChanged;
        this.local = new NodeRow(new NodeEntry(Settings.LOCAL_NODE, "This computer", null, null, true));
        local.stateProperty().set(ConnectionState.STARTING);
        local.detailProperty().set("Starting the local node…");
        rows.add(local);
        for (NodeEntry e : directory.remotes()) {
            rows.add(new NodeRow(e));
        }
        NodeRow initial = find(initialActiveId).orElse(local);
        setActive(initial);
    }

    public ObservableList<NodeRow> rows() {
        return rows;
    }

    public ReadOnlyObjectProperty<NodeRow> activeProperty() {
        return active.getReadOnlyProperty();
    }

    public ObjectProperty<NodeRow> selectedProperty() {
        return selected;
    }

    public NodeRow localRow() {
        return local;
    }

    /** Starts the local node in the background and connects to it when it is up. */
    public void startLocalNode() {
        local.stateProperty().set(ConnectionState.STARTING);
        local.detailProperty().set("Starting the local node…");
        tasks.create("Starting the local node", p -> {
            p.message("Starting the local node");
            return localNode.start();
        }).onSuccess(endpoint -> {
            local.entryProperty().set(new NodeEntry(Settings.LOCAL_NODE, "This computer", endpoint.url(),
                    endpoint.token(), true));
            check(local);
        }).onError(e -> {
            local.stateProperty().set(ConnectionState.FAILED);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            local.detailProperty().set(why);
            notices.post(Notices.Level.ERROR, "The local node could not start: " + why
                    + " You can still add and use a remote node in Nodes.");
        }).start();
    }

    /**
     * Adds a remote node and checks it at once.
     *
     * @throws IllegalArgumentException with a message for the user when the URL is not usable or already listed
     */
    public NodeRow addRemote(String name, String url, String token) {
        NodeEntry e = directory.add(name, url, token);
        NodeRow row = new NodeRow(e);
        rows.add(row);
        check(row);
        return row;
    }

    /** Removes a remote node; the local node cannot be removed. When it was active, the local node takes over. */
    public void remove(NodeRow row) {
        if (row.entry().local()) {
            throw new IllegalArgumentException("The local node cannot be removed");
        }
        directory.remove(row.id());
        rows.remove(row);
        if (row == active.get()) {
            setActive(local);
        }
    }

    public void makeActive(NodeRow row) {
        setActive(Objects.requireNonNull(row));
    }

    private void setActive(NodeRow row) {
        NodeRow previous = active.get();
        if (previous != null) {
            previous.activeProperty().set(false);
        }
        row.activeProperty().set(true);
        active.set(row);
        if (previous != null && previous != row) {
            activeChanged.accept(row.id());
        }
        if (row.entry().url() != null) {
            check(row);
        }
    }

    /** Polls the active node every few seconds until {@link #stop()}. */
    public void startPolling() {
        polling = poller.scheduleWithFixedDelay(() -> Platform.runLater(() -> {
            NodeRow row = active.get();
            if (row != null && row.entry().url() != null) {
                check(row);
            }
        }), POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
    }

    /** A client for the active node, when it has an address. */
    public Optional<NodeClient> activeClient() {
        NodeRow row = active.get();
        return row == null || row.entry().url() == null ? Optional.empty() : Optional.of(clientFor(row.entry()));
    }

    /** Asks a node who it is; updates its row when the answer comes. Call on the FX thread. */
    public void check(NodeRow row) {
        NodeEntry entry = row.entry();
        if (entry.url() == null) {
            return;
        }
        if (row.state() != ConnectionState.CONNECTED) {
            row.stateProperty().set(ConnectionState.CONNECTING);
        }
        NodeClient client = clientFor(entry);
        checks.execute(() -> {
            long start = System.nanoTime();
            try {
                NodeInfo info = client.node();
                long ms = (System.nanoTime() - start) / 1_000_000;
                Platform.runLater(() -> apply(row, entry, ConnectionState.CONNECTED, info,
                        "v" + info.version() + " · " + ms + " ms"));
            } catch (NodeClientException e) {
                ConnectionState s = e.kind() == NodeClientException.Kind.UNAUTHORIZED
                        ? ConnectionState.UNAUTHORIZED
                        : e.kind() == NodeClientException.Kind.UNREACHABLE ? ConnectionState.UNREACHABLE
                        : ConnectionState.FAILED;
                Platform.runLater(() -> apply(row, entry, s, null, e.getMessage()));
            } catch (RuntimeException e) {
                Platform.runLater(() -> apply(row, entry, ConnectionState.FAILED, null, String.valueOf(e.getMessage())));
            }
        });
    }

    private void apply(NodeRow row, NodeEntry checked, ConnectionState state, NodeInfo info, String detail) {
        if (row.entry() != checked) {
            return; // the row changed (e.g. the local node restarted) while the check ran
        }
        row.stateProperty().set(state);
        row.infoProperty().set(info);
        row.detailProperty().set(detail);
    }

    private NodeClient clientFor(NodeEntry e) {
        return new NodeClient(http, e.url(), e.token());
    }

    private Optional<NodeRow> find(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
