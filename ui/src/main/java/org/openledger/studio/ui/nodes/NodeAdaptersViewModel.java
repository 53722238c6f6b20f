package org.openledger.studio.ui.nodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.api.adapters.AdaptersApi;
import org.openledger.studio.api.adapters.ServingLoad;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The adapters of the node selected in the Nodes view, by tier, with their counters, the node's queue depth and
 * tokens per second; refreshed every {@link #REFRESH_INTERVAL} while shown, and again at once when the node, the
 * tier or the adapters change. Reads run as tasks of {@code reads} (not listed in the status bar); deleting and
 * registering as tasks of {@code tasks}. UI executor only.
 */
public final class NodeAdaptersViewModel {

    /** Runs {@code tick} on the UI executor every {@code period} until the returned action is run. */
    @FunctionalInterface
    public interface Ticker {
        Runnable every(Duration period, Runnable tick);

        /** The studio's: a scheduled executor whose ticks are handed to {@code ui}'s UI executor. */
        static Ticker on(ScheduledExecutorService poller, BackgroundTasks ui) {
            return (period, tick) -> {
                ScheduledFuture<?> f = poller.scheduleWithFixedDelay(() -> ui.onUi(tick), period.toMillis(),
                        period.toMillis(), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            };
        }
    }

    /** The tiers the list can be narrowed to; {@code ALL} asks for every adapter. */
    public enum TierFilter {
        ALL(null, "All"), DEVICE("device", "Device"), HOST("host", "Host"), DISK("disk", "Disk");

        private final String wire;
        private final String label;

        TierFilter(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        /** The {@code tier} query parameter, null for all. */
        public String wire() {
            return wire;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One tier as the view shows it: adapters and bytes in it, its bound (null for the disk), and the share of the
     * listed adapters' requests that found their adapter in it (null while unknown: a narrowed list, no requests).
     */
    public record TierSummary(String tier, int adapters, long bytes, Long boundBytes, Double hitShare) {
    }

    /** How often a shown list is read again. */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

    private final Function<NodeRow, Optional<? extends AdaptersApi>> clients;
    private final BackgroundTasks tasks;
    private final BackgroundTasks reads;
    private final Ticker ticker;
    private final LongSupplier nanoTime;

    private final ObservableList<AdapterInfo> adapters = FXCollections.observableArrayList();
    private final ObservableList<TierSummary> tiers = FXCollections.observableArrayList();
    private final ObjectProperty<TierFilter> filter = new SimpleObjectProperty<>(TierFilter.ALL);
    private final ReadOnlyObjectWrapper<Long> queueDepth = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Double> tokensPerSecond = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Integer> inFlight = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper();
    private final BooleanProperty busy = new SimpleBooleanProperty();

    private NodeRow node;
    private boolean showing;
    private Runnable stopTicks;
    /** Bumped when the node changes: answers about the one before are dropped. */
    private long generation;
    /** Bumped for every read; only the newest read's answer is applied. */
    private long issued;
    private boolean reading;
    private Reading last;
    /** The message shown is a read's failure: the next good read clears it (an action's message stays). */
    private boolean readFailed;

    /**
     * @param clients  the client of a node's row, empty while the row has no address (asked at every read, so a
     *                 restarted local node's new address is used)
     * @param tasks    deletes and registrations (listed in the status bar)
     * @param reads    the periodic reads, on the same UI executor
     * @param nanoTime when a reading was taken (tokens per second come from two readings)
     */
    public NodeAdaptersViewModel(Function<NodeRow, Optional<? extends AdaptersApi>> clients, BackgroundTasks tasks,
                                 BackgroundTasks reads, Ticker ticker, LongSupplier nanoTime) {
        this.clients = clients;
        this.tasks = tasks;
        this.reads = reads;
        this.ticker = ticker;
        this.nanoTime = nanoTime;
        filter.addListener((o, a, b) -> {
            adapters.clear();
            refresh();
        });
    }

    public ObservableList<AdapterInfo> adapters() {
        return adapters;
    }

    public ObservableList<TierSummary> tiers() {
        return tiers;
    }

    public ObjectProperty<TierFilter> filterProperty() {
        return filter;
    }

    /** Rows queued or generating on the node now; null while unknown. */
    public ReadOnlyObjectProperty<Long> queueDepthProperty() {
        return queueDepth.getReadOnlyProperty();
    }

    /** Completion tokens per second between the last two readings; null until there are two. */
    public ReadOnlyObjectProperty<Double> tokensPerSecondProperty() {
        return tokensPerSecond.getReadOnlyProperty();
    }

    /** Requests holding or waiting for an adapter now; null while unknown. */
    public ReadOnlyObjectProperty<Integer> inFlightProperty() {
        return inFlight.getReadOnlyProperty();
    }

    /** What the last action or read said: a failure's reason (then {@link #failedProperty()} is true) or a result. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** True while a delete or registration runs. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    public NodeRow node() {
        return node;
    }

    /** Shows another node's adapters (null: none); what was shown of the one before is cleared at once. */
    public void show(NodeRow row) {
        if (row == node) {
            return;
        }
        node = row;
        generation++;
        last = null;
        reading = false;
        adapters.clear();
        tiers.clear();
        queueDepth.set(null);
        tokensPerSecond.set(null);
        inFlight.set(null);
        say("", false);
        refresh();
        updateTicks();
    }

    /** Whether the list is on screen: it is read every few seconds only while it is. */
    public void setShowing(boolean showing) {
        this.showing = showing;
        if (showing) {
            refresh();
        }
        updateTicks();
    }

    public boolean isPolling() {
        return stopTicks != null;
    }

    private void updateTicks() {
        boolean want = showing && node != null;
        if (want && stopTicks == null) {
            stopTicks = ticker.every(REFRESH_INTERVAL, this::tick);
        } else if (!want && stopTicks != null) {
            stopTicks.run();
            stopTicks = null;
        }
    }

    private void tick() {
        if (!reading && showing && node != null) {
            refresh();
        }
    }

    /** Reads the node's adapters and load now. */
    public void refresh() {
        if (node == null) {
            return;
        }
        Optional<? extends AdaptersApi> client = clients.apply(node);
        if (client.isEmpty()) {
            say("No answer from this node yet.", false);
            readFailed = true;
            return;
        }
        AdaptersApi api = client.get();
        long gen = generation;
        long seq = ++issued;
        TierFilter asked = filter.get();
        reading = true;
        reads.create("Reading adapters", p -> {
            AdapterList list = api.adapters(asked.wire());
            ServingLoad load = api.servingLoad();
            return new Reading(list, load, nanoTime.getAsLong(), asked);
        }).onSuccess(r -> {
            if (gen == generation && seq == issued) {
                apply(r);
            }
        }).onError(NodeClientException.class, e -> {
            if (gen == generation && seq == issued) {
                say(reasonOf(e), true);
                readFailed = true;
            }
        }).onError(e -> {
            if (gen == generation && seq == issued) {
                say(String.valueOf(e.getMessage()), true);
                readFailed = true;
            }
        }).andFinally(() -> {
            if (gen == generation && seq == issued) {
                reading = false;
            }
        }).start();
    }

    private record Reading(AdapterList list, ServingLoad load, long atNanos, TierFilter filter) {
    }

    private void apply(Reading r) {
        tiers.setAll(summaries(r.list(), r.filter() == TierFilter.ALL));
        adapters.setAll(r.list().data());
        inFlight.set(r.list().inFlight());
        queueDepth.set(r.load().activeRows());
        Reading before = last;
        Long tokens = r.load().tokensTotal();
        if (before != null && tokens != null && before.load().tokensTotal() != null
                && tokens >= before.load().tokensTotal() && r.atNanos() > before.atNanos()) {
            tokensPerSecond.set((tokens - before.load().tokensTotal()) * 1e9 / (r.atNanos() - before.atNanos()));
        } else if (before != null) {
            tokensPerSecond.set(null); // the counter went back: the node restarted
        }
        last = r;
        if (readFailed) {
            say("", false);
        }
    }

    private static List<TierSummary> summaries(AdapterList list, boolean everyAdapter) {
        long device = 0;
        long host = 0;
        long disk = 0;
        for (AdapterInfo a : list.data()) {
            device += a.deviceHits();
            host += a.hostHits();
            disk += a.diskHits();
        }
        long all = device + host + disk;
        List<TierSummary> out = new ArrayList<>();
        for (String name : List.of("device", "host", "disk")) {
            AdapterList.Tier t = list.tiers().stream().filter(x -> x.tier().equals(name)).findFirst().orElse(null);
            if (t == null) {
                continue;
            }
            long hits = name.equals("device") ? device : name.equals("host") ? host : disk;
            Double share = everyAdapter && all > 0 ? (double) hits / all : null;
            out.add(new TierSummary(name, t.adapters(), t.bytes(), t.boundBytes(), share));
        }
        return out;
    }

    /**
     * Deletes an adapter from every tier and the node's disk (the view asks the user first). An adapter a request
     * holds is refused by the node (409): that is said as such, and nothing changes.
     */
    public void delete(String adapterId) {
        Optional<? extends AdaptersApi> client = node == null ? Optional.empty() : clients.apply(node);
        if (client.isEmpty()) {
            say("No node to delete '" + adapterId + "' from.", true);
            return;
        }
        AdaptersApi api = client.get();
        long gen = generation;
        busy.set(true);
        tasks.create("Deleting adapter " + adapterId, p -> api.deleteAdapter(adapterId))
                .onSuccess(d -> {
                    if (gen == generation) {
                        adapters.removeIf(a -> a.id().equals(adapterId));
                        say("Deleted '" + adapterId + "' from every tier and the node's disk.", false);
                        refresh();
                    }
                })
                .onError(NodeClientException.class, e -> {
                    if (gen == generation) {
                        say(e.status() == 409 ? "'" + adapterId + "' is in use by a running request, so it was not"
                                + " deleted. Try again when the request is done." : reasonOf(e), true);
                    }
                })
                .onError(e -> say(String.valueOf(e.getMessage()), true))
                .andFinally(() -> busy.set(false))
                .start();
    }

    /**
     * Serves the adapter folder at {@code folder} on the node (copied into its adapter folder) under {@code id}
     * (blank: the folder's name). The node checks it (it loads, fits the base model and the device budget).
     */
    public void register(String folder, String id) {
        if (folder == null || folder.isBlank()) {
            say("Give the adapter's folder on the node.", true);
            return;
        }
        Optional<? extends AdaptersApi> client = node == null ? Optional.empty() : clients.apply(node);
        if (client.isEmpty()) {
            say("No node to register the adapter on.", true);
            return;
        }
        AdaptersApi api = client.get();
        long gen = generation;
        String name = id == null || id.isBlank() ? null : id.strip();
        busy.set(true);
        tasks.create("Registering adapter", p -> api.registerAdapter(new AdapterRegistration(folder.strip(), name,
                        false, false)))
                .onSuccess(a -> {
                    if (gen == generation) {
                        say("Registered '" + a.id() + "' (rank " + a.rank() + ", " + String.join(", ", a.targets())
                                + "): served from now on.", false);
                        refresh();
                    }
                })
                .onError(NodeClientException.class, e -> {
                    if (gen == generation) {
                        say(reasonOf(e), true);
                    }
                })
                .onError(e -> say(String.valueOf(e.getMessage()), true))
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** The node's own sentence when it sent one, else the client's. */
    static String reasonOf(NodeClientException e) {
        if (e.error() != null && e.error().error() != null && e.error().error().message() != null) {
            return e.error().error().message();
        }
        return String.valueOf(e.getMessage());
    }

    private void say(String text, boolean failure) {
        readFailed = false;
        message.set(text);
        failed.set(failure);
    }
}
