package org.openledger.studio.ui.attribution;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openledger.studio.api.attribution.AttributionApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.attribution.AttributionCsv;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The Attribution section: the active node's recent attributed answers (filtered by model, Datanet or contributor),
 * the record of the one selected (followed while pending), the node's influence indexes with rebuild, and a CSV
 * export of the records listed. Everything the node is asked runs on a background task.
 */
public final class AttributionViewModel {

    /** Records asked for per refresh. */
    static final int LIMIT = 200;

    private final ActiveNode<AttributionApi> activeNode;
    private final BackgroundTasks tasks;
    private final ObservableList<AttributionRecord> records = FXCollections.observableArrayList();
    private final ObservableList<InfluenceIndexInfo> indexes = FXCollections.observableArrayList();
    private final StringProperty model = new SimpleStringProperty("");
    private final StringProperty datanet = new SimpleStringProperty("");
    private final StringProperty contributor = new SimpleStringProperty("");
    private final ObjectProperty<AttributionRecord> selected = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private RecordFollower following;

    public AttributionViewModel(ActiveNode<AttributionApi> activeNode, BackgroundTasks tasks) {
        this.activeNode = activeNode;
        this.tasks = tasks;
    }

    public ObservableList<AttributionRecord> records() {
        return records;
    }

    public ObservableList<InfluenceIndexInfo> indexes() {
        return indexes;
    }

    public StringProperty modelFilterProperty() {
        return model;
    }

    public StringProperty datanetFilterProperty() {
        return datanet;
    }

    public StringProperty contributorFilterProperty() {
        return contributor;
    }

    /** The record shown in full; a pending one is replaced by its final state when the node has it. */
    public ObjectProperty<AttributionRecord> selectedProperty() {
        return selected;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    private record Listing(List<AttributionRecord> records, List<InfluenceIndexInfo> indexes) {
    }

    /** Asks the active node for its records (with the filters) and its influence indexes. */
    public void refresh() {
        Optional<? extends AttributionApi> client = activeNode.get();
        if (client.isEmpty()) {
            status.set("No node is connected yet.");
            records.clear();
            indexes.clear();
            return;
        }
        String m = blankToNull(model.get());
        String d = blankToNull(datanet.get());
        String c = blankToNull(contributor.get());
        loading.set(true);
        tasks.create("Listing attributions", p -> new Listing(client.get().attributions(m, c, d, LIMIT).data(),
                client.get().influenceIndexes().data())).onSuccess(l -> {
            String keep = selected.get() == null ? null : selected.get().id();
            records.setAll(l.records());
            indexes.setAll(l.indexes());
            status.set(l.records().isEmpty() ? (m == null && d == null && c == null
                    ? "No attributed answers yet: ask an adapter with an influence index in the Playground."
                    : "No attributed answers match these filters.") : "");
            records.stream().filter(r -> r.id().equals(keep)).findFirst().ifPresentOrElse(this::select,
                    () -> select(null));
        }).onError(e -> status.set("Could not list attributions: " + e.getMessage()))
                .andFinally(() -> loading.set(false)).start();
    }

    /** Shows {@code r} in full; a pending record is followed until the node has finished it. */
    public void select(AttributionRecord r) {
        if (following != null) {
            following.stop();
            following = null;
        }
        selected.set(r);
        Optional<? extends AttributionApi> client = activeNode.get();
        if (r == null || !"pending".equals(r.state()) || client.isEmpty()) {
            return;
        }
        RecordFollower f = RecordFollower.follow(tasks, client.get(), r.id());
        following = f;
        f.recordProperty().addListener((o, a, done) -> {
            if (following == f) {
                int i = indexOf(done.id());
                if (i >= 0) {
                    records.set(i, done);
                }
                selected.set(done);
            }
        });
        f.errorProperty().addListener((o, a, e) -> status.set("Could not read " + r.id() + ": " + e));
    }

    /** Builds the influence index of {@code adapter} again, then lists the indexes anew. */
    public void rebuild(String adapter) {
        Optional<? extends AttributionApi> client = activeNode.get();
        if (client.isEmpty()) {
            status.set("No node is connected yet.");
            return;
        }
        tasks.create("Rebuilding the influence index of " + adapter, p -> {
            client.get().buildInfluenceIndex(adapter);
            return client.get().influenceIndexes().data();
        }).onSuccess(list -> {
            indexes.setAll(list);
            status.set("Rebuilding the influence index of " + adapter + ": Refresh to follow it.");
        }).onError(e -> status.set("Could not rebuild the index of " + adapter + ": " + e.getMessage())).start();
    }

    /** Writes the records listed now to {@code file} as CSV, on a background task. */
    public void export(Path file) {
        List<AttributionRecord> shown = List.copyOf(records);
        tasks.create("Exporting attributions", p -> {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                return AttributionCsv.write(shown, w);
            }
        }).onSuccess(n -> status.set("Exported " + n + " rows of " + shown.size() + " records to " + file))
                .onError(e -> status.set("Could not export to " + file + ": " + e.getMessage())).start();
    }

    /** Stops following a pending record (the section was left). */
    public void stop() {
        if (following != null) {
            following.stop();
            following = null;
        }
    }

    private int indexOf(String id) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
