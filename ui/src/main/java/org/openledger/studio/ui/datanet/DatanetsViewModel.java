package org.openledger.studio.ui.datanet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.DuplicateGroup;
import org.openledger.studio.datanet.check.Finding;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.ManifestSigner;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.ImportResult;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.RowQuery;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.StoredRow;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.ui.tasks.BackgroundTask;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.wallet.ReviewedCalls;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.datanet.onchain.OnChainStatus;

/**
 * State and actions of the Datanets section: the Datanets of the local workspace, the selected one's rows (filtered
 * by status and full-text search) with their duplicate, secret and quality badges, adding files, curating, and
 * uploading to the active node with pause and resume. Every workspace and node call runs through
 * {@link BackgroundTasks}; properties change on the FX thread only.
 */
public final class DatanetsViewModel {

    /** Rows shown per page of the curation table. */
    static final int PAGE = 500;

    private final Workspace workspace;
    private final ContributionUploads uploads;
    private final ActiveNode<DatanetsApi> node;
    private final SignerSource signers;
    private final BackgroundTasks tasks;
    /** Publishing and submitting through the wallet's review. */
    private final OnChainStep onChain;

    private final ObservableList<Datanet> datanets = FXCollections.observableArrayList();
    private final ObjectProperty<Datanet> selected = new SimpleObjectProperty<>();
    private final ObservableList<RowItem> rows = FXCollections.observableArrayList();
    private final ObservableList<ContributionItem> history = FXCollections.observableArrayList();
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<RowStatus> statusFilter = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty uploading = new SimpleBooleanProperty(false);
    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    /** Duplicate kind per row id, from the checks of batches added in this session. */
    private final Map<Long, String> duplicates = new HashMap<>();
    /** Batches whose check has been run in this session (their badges are known). */
    private final java.util.Set<Long> checkedBatches = new java.util.HashSet<>();

    public DatanetsViewModel(Workspace workspace, ActiveNode<DatanetsApi> node, SignerSource signers,
                             BackgroundTasks tasks) {
        this(workspace, node, signers, tasks, null);
    }

    /**
     * @param chain the wallet's reviewed sending (Wallet &amp; Staking), through which Datanets are published and
     *              contributions submitted on chain; null leaves the on-chain step out
     */
    public DatanetsViewModel(Workspace workspace, ActiveNode<DatanetsApi> node, SignerSource signers,
                             BackgroundTasks tasks, ReviewedCalls chain) {
        this.onChain = new OnChainStep(workspace, chain, tasks, message, error, this::reloadRows);
        this.workspace = workspace;
        this.uploads = new ContributionUploads(workspace, Clock.systemUTC());
        this.node = node;
        this.signers = signers;
        this.tasks = tasks;
        selected.addListener((o, a, b) -> reloadRows());
        search.addListener((o, a, b) -> reloadRows());
        statusFilter.addListener((o, a, b) -> reloadRows());
    }

    public ObservableList<Datanet> datanets() {
        return datanets;
    }

    public ObjectProperty<Datanet> selectedProperty() {
        return selected;
    }

    public ObservableList<RowItem> rows() {
        return rows;
    }

    /** Whether a publish or submit is being checked or under review. */
    public BooleanProperty onChainBusyProperty() {
        return onChain.busyProperty();
    }

    public boolean hasChain() {
        return onChain.available();
    }

    public ObservableList<ContributionItem> history() {
        return history;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObjectProperty<RowStatus> statusFilterProperty() {
        return statusFilter;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public BooleanProperty uploadingProperty() {
        return uploading;
    }

    /** Reads the Datanet list again, keeping the selection by id. */
    public void refresh() {
        Long keep = selected.get() == null ? null : selected.get().id();
        tasks.create("Reading Datanets", p -> workspace.datanets().list()).onSuccess(list -> {
            datanets.setAll(list);
            Datanet again = keep == null ? (list.isEmpty() ? null : list.get(0))
                    : list.stream().filter(d -> d.id() == keep).findFirst().orElse(null);
            selected.set(again);
        }).onError(this::fail).start();
    }

    /** Creates a Datanet and selects it. */
    public void create(String name, String summary, String licence) {
        tasks.create("Creating Datanet", p -> workspace.datanets().create(new NewDatanet(name, summary, "", List.of(),
                licence == null || licence.isBlank() ? "CC-BY-4.0" : licence, ""))).onSuccess(d -> {
            datanets.add(d);
            selected.set(d);
            message.set("Created " + d.name());
        }).onError(this::fail).start();
    }

    /** Reads, checks and stores files in the selected Datanet, then shows the batch's redundancy and secrets. */
    public void addFiles(List<Path> files) {
        Datanet d = selected.get();
        if (d == null || files.isEmpty()) {
            return;
        }
        busy.set(true);
        error.set("");
        track(tasks.create("Adding " + files.size() + " files to " + d.name(), p -> {
            ImportResult r = workspace.add(d.id(), files, d.owner(), new Ingest(), (done, total) -> p.update(done, total));
            CheckReport report = workspace.check(r.batchId());
            return new Added(r, report);
        }).onSuccess(a -> {
            checkedBatches.add(a.result().batchId());
            mergeDuplicates(duplicateKinds(a.report()));
            var s = a.report().summary();
            message.set(a.result().newRows() + " new rows: " + s.exactGroups() + " exact and " + s.nearGroups()
                    + " near duplicate groups, " + s.blockedRows() + " rows with secrets or personal data, "
                    + a.report().skippedLines().size() + " lines skipped");
            if (!a.result().failures().isEmpty()) {
                error.set(String.join("; ", a.result().failures().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList()));
            }
            reloadRows();
        }).onError(this::fail).andFinally(() -> busy.set(false)).start());
    }

    /** Shows a task's progress in the section's progress bar while it runs. */
    private void track(BackgroundTask<?> task) {
        if (!task.isRunning()) {
            return; // it ended already (on an executor that runs work at once)
        }
        progress.bind(task.progressProperty());
        task.runningProperty().addListener((o, a, running) -> {
            if (!running) {
                progress.unbind();
            }
        });
    }

    private record Added(ImportResult result, CheckReport report) {
    }

    /** Every row in a duplicate group of the report (and the workspace rows it copies), by kind. */
    static Map<Long, String> duplicateKinds(CheckReport report) {
        Map<Long, String> out = new HashMap<>();
        for (DuplicateGroup g : report.duplicateGroups()) {
            String kind = g.kind() == DuplicateGroup.Kind.EXACT ? "exact" : "near";
            if (g.rows().size() > 1 || !g.workspaceRows().isEmpty() || !g.nodeRows().isEmpty()) {
                g.rows().forEach(id -> out.merge(id, kind, DatanetsViewModel::stronger));
                g.workspaceRows().forEach(id -> out.merge(id, kind, DatanetsViewModel::stronger));
            }
        }
        return out;
    }

    private static String stronger(String a, String b) {
        return a.equals("exact") ? a : b;
    }

    private void mergeDuplicates(Map<Long, String> kinds) {
        kinds.forEach((id, kind) -> duplicates.merge(id, kind, DatanetsViewModel::stronger));
    }

    /** Sets the curation state of rows. */
    public void setStatus(List<Long> ids, RowStatus status) {
        tasks.create("Marking rows " + status.name().toLowerCase(), p -> workspace.rows().setStatus(ids, status))
                .onSuccess(n -> reloadRows()).onError(this::fail).start();
    }

    /** Reloads the selected Datanet's rows with the current filters, and its contribution history. */
    public void reloadRows() {
        Datanet d = selected.get();
        if (d == null) {
            rows.clear();
            history.clear();
            return;
        }
        RowQuery q = RowQuery.all().page(0, PAGE).withSearch(search.get() == null || search.get().isBlank() ? null
                : search.get().strip()).withStatus(statusFilter.get());
        java.util.Set<Long> known = new java.util.HashSet<>(checkedBatches);
        Optional<ChainInfo> chain = onChain.readyChain();
        tasks.create("Reading rows", p -> {
            List<StoredRow> found = workspace.rows().rows(d.id(), q);
            // batches added before this session (or by `studio datanet add`) are checked once for their badges
            Map<Long, String> kinds = new HashMap<>();
            List<Long> checked = new ArrayList<>();
            for (long batch : found.stream().map(StoredRow::batchId).distinct().toList()) {
                if (!known.contains(batch)) {
                    kinds.putAll(duplicateKinds(workspace.check(batch)));
                    checked.add(batch);
                }
            }
            Map<Long, OnChainStatus> statuses = onChain.statuses(chain, d.id());
            List<ContributionItem> contributions = new ArrayList<>();
            for (UploadState u : uploads.history(d.id())) {
                contributions.add(new ContributionItem(u, statuses.getOrDefault(u.uploadId(),
                        OnChainStatus.notSubmitted(u.uploadId()))));
            }
            return new Page(found, contributions, kinds, checked);
        }).onSuccess(page -> {
                    checkedBatches.addAll(page.checked());
                    mergeDuplicates(page.kinds());
                    List<RowItem> items = new ArrayList<>(page.rows().size());
                    for (StoredRow r : page.rows()) {
                        List<String> secrets = new ArrayList<>();
                        List<String> quality = new ArrayList<>();
                        for (Finding f : r.findings()) {
                            (f.kind().blocking() ? secrets : quality).add(f.kind().jsonName().replace('_', ' '));
                        }
                        items.add(new RowItem(r.id(), r.provenance().source(), r.status(), r.text(),
                                duplicates.getOrDefault(r.id(), ""), secrets, quality));
                    }
                    rows.setAll(items);
                    history.setAll(page.history());
                }).onError(this::fail).start();
    }

    private record Page(List<StoredRow> rows, List<ContributionItem> history, Map<Long, String> kinds,
                        List<Long> checked) {
    }

    /**
     * Uploads the selected Datanet's new rows to the active node, or resumes its unfinished contribution: prepared,
     * signed by the wallet for the node's registry domain, then sent chunk by chunk until done or paused.
     */
    public void upload() {
        Datanet d = selected.get();
        if (d == null || uploading.get()) {
            return;
        }
        Optional<? extends DatanetsApi> client = node.get();
        if (client.isEmpty()) {
            error.set("No node is connected: start the local node or choose one in Nodes");
            return;
        }
        DatanetsApi registry = client.get();
        // signed for the Datanet's on-chain id when it is published on the active chain, so it can be submitted
        Optional<BigInteger> onChainId = onChain.onChainId(onChain.readyChain(), d.id());
        pauseRequested.set(false);
        uploading.set(true);
        error.set("");
        track(tasks.create("Uploading " + d.name(), p -> {
            UploadState open = uploads.history(d.id()).stream().filter(s -> s.stage() == UploadState.Stage.PREPARED
                    || s.stage() == UploadState.Stage.SIGNED || s.stage() == UploadState.Stage.UPLOADING)
                    .findFirst().orElse(null);
            long id;
            if (open == null || open.stage() == UploadState.Stage.PREPARED) {
                ManifestSigner signer = signers.signer();
                RegistryInfo info = registry.registryInfo();
                id = open != null ? open.uploadId() : uploads.prepare(d.id(), signer.address(),
                        onChainId.orElse(BigInteger.valueOf(d.id())), BigInteger.valueOf(System.currentTimeMillis()),
                        ChunkLimits.DEFAULT).uploadId();
                uploads.sign(id, signer, new ManifestDomain(info.chainId(), info.verifyingContract()));
            } else {
                id = open.uploadId();
            }
            return uploads.upload(id, registry.registry(), (done, total) -> p.update(done, total), pauseRequested::get);
        }).onSuccess(s -> {
            message.set(s.stage() == UploadState.Stage.COMPLETE
                    ? "Uploaded " + s.rows() + " rows to the node"
                    : "Paused after " + s.chunksSent() + " of " + s.chunksTotal() + " chunks; Upload resumes");
            reloadRows();
        }).onError(e -> {
            fail(e);
            reloadRows();
        }).andFinally(() -> uploading.set(false)).start());
    }

    /** Publishes the selected Datanet on the active chain through the wallet's review. */
    public void publish() {
        onChain.publish(selected.get());
    }

    /** Submits an uploaded contribution on chain, staking {@code stakeOpen} OPEN behind it when given. */
    public void submit(long uploadId, String stakeOpen) {
        onChain.submit(uploadId, stakeOpen);
    }

    /** Stops the running upload after the chunk in flight; {@link #upload()} resumes it. */
    public void pause() {
        pauseRequested.set(true);
    }

    private void fail(Throwable e) {
        error.set(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
