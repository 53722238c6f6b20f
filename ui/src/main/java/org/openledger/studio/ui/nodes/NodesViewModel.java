package org.openledger.studio.ui.nodes;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.NodesApi;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.ui.settings.Settings;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The nodes the studio knows (the local one first, then the remote ones the user added), which one is active, and
 * how each one answers. Checks run as tasks of {@code checks} (not listed in the status bar: the active node is
 * asked every few seconds); their answers land on its UI executor.
 *
 * @param <C> the client of one node, made by a {@link Connector} ({@code NodeClient} in the studio); what
 *            {@link #activeClient()} hands the other sections
 */
public final class NodesViewModel<C extends NodesApi> {

    /** Makes the client of a node at {@code url} with {@code token} (null for none); never calls the node. */
    @FunctionalInterface
    public interface Connector<C> {
        C connect(URI url, String token);

        /**
         * As {@link #connect(URI, String)}, trusting only the certificate {@code tlsPin} when it is not null; a
         * connector that cannot pin refuses to connect to a pinned node rather than trust it some other way.
         */
        default C connect(URI url, String token, CertificatePin tlsPin) {
            if (tlsPin != null) {
                throw new IllegalStateException("This studio cannot pin TLS certificates; not connecting to " + url);
            }
            return connect(url, token);
        }
    }

    /** How often the active node is asked whether it is still there. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    private final NodeDirectory directory;
    private final LocalNode localNode;
    private final Connector<C> connector;
    private final BackgroundTasks tasks;
    private final BackgroundTasks checks;
    private final ScheduledExecutorService poller;
    private final Notices notices;
    private final Consumer<String> activeChanged;

    private final ObservableList<NodeRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<NodeRow> active = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<NodeRow> selected = new SimpleObjectProperty<>();
    private final NodeRow local;
    private ScheduledFuture<?> polling;

    /**
     * @param tasks  runs the local node's start (listed in the status bar)
     * @param checks runs the checks of nodes, on the same UI executor as {@code tasks}
     * @param poller asks for the active node's check every {@link #POLL_INTERVAL}
     */
    public NodesViewModel(NodeDirectory directory, LocalNode localNode, Connector<C> connector, BackgroundTasks tasks,
                          BackgroundTasks checks, ScheduledExecutorService poller, Notices notices,
                          String initialActiveId, Consumer<String> activeChanged) {
        this.directory = directory;
        this.localNode = localNode;
        this.connector = connector;
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
        return addRemote(name, url, token, null);
    }

    /** As above, for an https node whose certificate {@code tlsPin} the user accepted ({@link AddNodeFlow}). */
    public NodeRow addRemote(String name, String url, String token, CertificatePin tlsPin) {
        NodeEntry e = directory.add(name, url, token, tlsPin);
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
        polling = poller.scheduleWithFixedDelay(() -> checks.onUi(() -> {
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
    public Optional<C> activeClient() {
        NodeRow row = active.get();
        return row == null || row.entry().url() == null ? Optional.empty() : Optional.of(clientFor(row.entry()));
    }

    /** A client for the node of {@code row}, when it has an address (the Nodes view's selected node). */
    public Optional<C> clientOf(NodeRow row) {
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
        C client = clientFor(entry);
        checks.create("Checking " + entry.name(), p -> {
            long start = System.nanoTime();
            NodeInfo info = client.node();
            return new Answer(info, (System.nanoTime() - start) / 1_000_000);
        }).onSuccess(a -> apply(row, entry, ConnectionState.CONNECTED, a.info(),
                "v" + a.info().version() + " · " + a.millis() + " ms")).onError(NodeClientException.class, e -> apply(row, entry, stateOf(e), null, e.getMessage()))
                .onError(e -> apply(row, entry, ConnectionState.FAILED, null, String.valueOf(e.getMessage())))
                .start();
    }

    private record Answer(NodeInfo info, long millis) {
    }

    /** How a node that did not answer is shown: its token refused, not reached, or failing otherwise. */
    static ConnectionState stateOf(NodeClientException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> ConnectionState.UNAUTHORIZED;
            case UNREACHABLE -> ConnectionState.UNREACHABLE;
            default -> ConnectionState.FAILED;
        };
    }

    private void apply(NodeRow row, NodeEntry checked, ConnectionState state, NodeInfo info, String detail) {
        if (row.entry() != checked) {
            return; // the row changed (e.g. the local node restarted) while the check ran
        }
        row.stateProperty().set(state);
        row.infoProperty().set(info);
        row.detailProperty().set(detail);
    }

    private C clientFor(NodeEntry e) {
        return connector.connect(e.url(), e.token(), e.tlsPin());
    }

    /** The tasks the Add Node flow probes a node's certificate on (not listed in the status bar). */
    BackgroundTasks checks() {
        return checks;
    }

    private Optional<NodeRow> find(String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
