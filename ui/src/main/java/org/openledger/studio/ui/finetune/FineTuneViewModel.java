package org.openledger.studio.ui.finetune;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.wallet.ReviewedCalls;

/**
 * The Fine-tune section: a LoRA job on the active node's base model, trained on a local file or on Datanets the
 * node holds; its estimate before it starts; the job followed live; every job on the node in a history. All node
 * calls run on background tasks; results come back on the FX thread.
 */
public final class FineTuneViewModel {

    /** Where the training data comes from. */
    public enum DataSource { FILE, DATANETS }

    /** Errors about the request's data and model use these keys, beside the {@link TrainingSettings} ones. */
    public static final String MODEL = "model";
    public static final String TRAINING_TEXT = "training_text";
    public static final String DATANETS = "datanets";

    /** A training file larger than this is refused here: the node takes the text inline in one request. */
    static final long MAX_FILE_BYTES = 32L << 20;

    private final ActiveNode<FineTuneApi> activeNode;
    private final BackgroundTasks tasks;
    private final Supplier<List<LocalDatanet>> localDatanets;
    private final Consumer<String> openInPlayground;
    private final TrainingSettings settings = new TrainingSettings();
    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final StringProperty model = new SimpleStringProperty();
    private final ObjectProperty<DataSource> source = new SimpleObjectProperty<>(DataSource.FILE);
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final StringProperty fileSummary = new SimpleStringProperty("No file chosen");
    private final ObservableList<DatanetChoice> datanets = FXCollections.observableArrayList();
    private final StringProperty datanetNote = new SimpleStringProperty("");
    private final ObservableMap<String, String> errors = FXCollections.observableHashMap();
    private final StringProperty message = new SimpleStringProperty("");
    private final JobEstimate estimate;
    private final BooleanProperty starting = new SimpleBooleanProperty(false);
    private final BooleanProperty resumeSupported = new SimpleBooleanProperty(true);
    private final ObservableList<FineTuneJob> jobs = FXCollections.observableArrayList();
    private final JobMonitor monitor;
    private final Publishing publishing;
    private volatile String fileText;

    public FineTuneViewModel(ActiveNode<FineTuneApi> activeNode, BackgroundTasks tasks,
                             Supplier<List<LocalDatanet>> localDatanets, Consumer<String> openInPlayground) {
        this(activeNode, tasks, localDatanets, openInPlayground, null, List.of());
    }

    /**
     * @param chain        the wallet's reviewed sending (Wallet &amp; Staking), through which a succeeded job's adapter
     *                     is published to the ModelRegistry; null where the studio has no wallet
     * @param chainChanges what changes whether the wallet can sign now (the selected account, its lock, the chain)
     */
    public FineTuneViewModel(ActiveNode<FineTuneApi> activeNode, BackgroundTasks tasks,
                             Supplier<List<LocalDatanet>> localDatanets, Consumer<String> openInPlayground,
                             ReviewedCalls chain, List<javafx.beans.Observable> chainChanges) {
        this.activeNode = activeNode;
        this.tasks = tasks;
        this.localDatanets = localDatanets;
        this.openInPlayground = openInPlayground;
        this.estimate = new JobEstimate(activeNode, tasks, errors);
        this.monitor = new JobMonitor(activeNode, tasks, this::replace);
        this.publishing = new Publishing(activeNode, tasks, chain, monitor.jobProperty(), chainChanges);
        for (javafx.beans.Observable o : settings.inputs()) {
            o.addListener(x -> checkSettings());
        }
    }

    /**
     * The settings' own checks, shown at once while typing; a missing model or data is said on Start, and a node's
     * refusal of another field stays until that field changes.
     */
    private void checkSettings() {
        Map<String, String> problems = settings.problems();
        errors.keySet().removeIf(k -> !problems.containsKey(k) && !(k.equals(MODEL) && model.get() == null)
                && !(k.equals(TRAINING_TEXT) && source.get() == DataSource.FILE)
                && !(k.equals(DATANETS) && selectedDatanets().isEmpty()));
        errors.putAll(problems);
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** The node's base models (adapters are not fine-tuned further). */
    public ObservableList<String> models() {
        return models;
    }

    public StringProperty modelProperty() {
        return model;
    }

    public ObjectProperty<DataSource> sourceProperty() {
        return source;
    }

    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    public StringProperty fileSummaryProperty() {
        return fileSummary;
    }

    public ObservableList<DatanetChoice> datanets() {
        return datanets;
    }

    public StringProperty datanetNoteProperty() {
        return datanetNote;
    }

    /** Field errors by the node's param name (see {@link TrainingSettings} and the keys above). */
    public ObservableMap<String, String> errors() {
        return errors;
    }

    /** What went wrong that belongs to no field, or what just happened. */
    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty estimateProperty() {
        return estimate.textProperty();
    }

    public StringProperty estimateWarningsProperty() {
        return estimate.warningsProperty();
    }

    public BooleanProperty estimatingProperty() {
        return estimate.runningProperty();
    }

    public BooleanProperty startingProperty() {
        return starting;
    }

    /** False once the node answered that it cannot resume jobs. */
    public BooleanProperty resumeSupportedProperty() {
        return resumeSupported;
    }

    /** Every job on the node, newest first. */
    public ObservableList<FineTuneJob> jobs() {
        return jobs;
    }

    public JobMonitor monitor() {
        return monitor;
    }

    /** Publishing the shown job's adapter to the ModelRegistry. */
    public Publishing publishing() {
        return publishing;
    }

    /** Models, jobs and Datanets of the active node, asked again (a node was connected or made active). */
    public void refresh() {
        if (activeNode.get().isPresent()) {
            message.set("");
        }
        estimate.reset();
        resumeSupported.set(true);
        refreshModels();
        refreshJobs();
        refreshDatanets();
    }

    public void refreshModels() {
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (client.isEmpty()) {
            message.set("No node is connected: start the local node or make one active in Nodes.");
            return;
        }
        tasks.create("Listing base models", p -> client.get().models()).onSuccess(list -> {
            List<String> ids = list.data().stream().filter(m -> !"adapter".equals(m.kind())).map(ModelList.Model::id)
                    .toList();
            // replacing the items resets the combo box's value: keep the choice, then put it back
            String keep = model.get();
            if (!models.equals(ids)) {
                models.setAll(ids);
            }
            if (ids.isEmpty()) {
                errors.put(MODEL, "The active node serves no base model, so it cannot fine-tune");
            } else {
                errors.remove(MODEL);
                model.set(ids.contains(keep) ? keep : ids.get(0));
            }
        }).onError(e -> message.set("Could not list the node's models: " + NodeFailures.message(e))).start();
    }

    public void refreshJobs() {
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (client.isEmpty()) {
            return;
        }
        tasks.create("Listing fine-tuning jobs", p -> client.get().fineTuneJobs().data()).onSuccess(list -> {
            List<FineTuneJob> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingLong(FineTuneJob::createdAt).reversed());
            jobs.setAll(sorted);
        }).onError(e -> message.set(NodeFailures.unsupported(e) ? "This node runs no fine-tuning jobs."
                : "Could not list the node's jobs: " + NodeFailures.message(e))).start();
    }

    /**
     * The workspace's Datanets the active node holds finished contributions of (asked per Datanet: the node has no
     * list of its Datanets), with their row counts.
     */
    public void refreshDatanets() {
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (client.isEmpty()) {
            datanets.clear();
            datanetNote.set("No node is connected.");
            return;
        }
        FineTuneApi node = client.get();
        tasks.create("Finding Datanets on the node", p -> {
            List<LocalDatanet> local = localDatanets.get();
            List<DatanetChoice> out = new ArrayList<>();
            for (LocalDatanet d : local) {
                int rows = node.datanetContributions(new BigInteger(d.nodeId())).stream()
                        .filter(c -> "complete".equals(c.state())).mapToInt(UploadStatus::rows).sum();
                if (rows > 0) {
                    out.add(new DatanetChoice(d, rows));
                }
            }
            return out;
        }).onSuccess(found -> {
            List<String> ticked = selectedDatanets();
            found.forEach(c -> c.selectedProperty().set(ticked.contains(c.datanet().nodeId())));
            datanets.setAll(found);
            datanetNote.set(found.isEmpty() ? "No Datanet of this studio's workspace has rows on the active node yet:"
                    + " upload one in Datanets." : "");
        }).onError(e -> datanetNote.set(NodeFailures.unsupported(e) ? "This node has no Datanet registry."
                : "Could not list Datanets: " + NodeFailures.message(e))).start();
    }

    /** Reads a .jsonl or .txt file to train on (in the background; the node takes it inline). */
    public void chooseFile(Path path) {
        file.set(path);
        fileText = null;
        errors.remove(TRAINING_TEXT);
        fileSummary.set("Reading " + path.getFileName() + "…");
        tasks.create("Reading " + path.getFileName(), p -> {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(path.getFileName() + " is " + Units.bytes(size)
                        + "; at most " + Units.bytes(MAX_FILE_BYTES) + " can be sent inline: put it in a Datanet");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        }).onSuccess(text -> {
            if (!path.equals(file.get())) {
                return;
            }
            fileText = text;
            long lines = text.lines().filter(l -> !l.isBlank()).count();
            fileSummary.set(path.getFileName() + " — " + Units.count(lines) + " lines, "
                    + Units.bytes(text.getBytes(StandardCharsets.UTF_8).length));
            if (text.isBlank()) {
                errors.put(TRAINING_TEXT, "The file is empty");
            }
            estimate();
        }).onError(e -> {
            fileSummary.set(path.getFileName().toString());
            errors.put(TRAINING_TEXT, e instanceof java.nio.charset.MalformedInputException
                    ? "The file is not UTF-8 text" : NodeFailures.message(e));
        }).start();
    }

    /** Uses {@code text} as the training data, as if read from a file named {@code name}. */
    public void useText(String name, String text) {
        file.set(null);
        fileText = text;
        errors.remove(TRAINING_TEXT);
        fileSummary.set(name + " — " + Units.count(text.lines().filter(l -> !l.isBlank()).count()) + " lines");
    }

    /** The request the form makes, or empty with what is missing or wrong in {@code found}. */
    private Optional<FineTuneRequest> build(Map<String, String> found) {
        found.putAll(settings.problems());
        if (model.get() == null) {
            found.put(MODEL, "Pick the base model to train");
        }
        List<String> ticked = selectedDatanets();
        if (source.get() == DataSource.FILE && (fileText == null || fileText.isBlank())) {
            found.put(TRAINING_TEXT, fileText == null ? "Choose a .jsonl or .txt file" : "The file is empty");
        }
        if (source.get() == DataSource.DATANETS && ticked.isEmpty()) {
            found.put(DATANETS, "Tick at least one Datanet");
        }
        if (!found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(source.get() == DataSource.FILE ? settings.request(model.get(), fileText, null)
                : settings.request(model.get(), null, ticked));
    }

    private List<String> selectedDatanets() {
        return datanets.stream().filter(c -> c.selectedProperty().get()).map(c -> c.datanet().nodeId()).toList();
    }

    /** Asks the node what the job would take; the newest answer wins, an older node says it cannot. */
    public void estimate() {
        checkSettings();
        boolean fieldsWrong = !settings.problems().isEmpty();
        estimate.ask(build(new LinkedHashMap<>()), fieldsWrong);
    }

    /** Queues the job on the active node and follows it. */
    public void start() {
        if (starting.get()) {
            return;
        }
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (client.isEmpty()) {
            message.set("No node is connected: start the local node or make one active in Nodes.");
            return;
        }
        Map<String, String> found = new LinkedHashMap<>();
        Optional<FineTuneRequest> req = build(found);
        errors.clear();
        errors.putAll(found);
        if (req.isEmpty()) {
            message.set("Fix the fields marked to start.");
            return;
        }
        message.set("");
        starting.set(true);
        tasks.create("Starting a fine-tuning job", p -> client.get().createFineTuneJob(req.get())).onSuccess(job -> {
            message.set("Job " + job.id() + " " + job.status() + ".");
            jobs.add(0, job);
            monitor.show(job);
        }).onError(e -> {
            String param = NodeFailures.param(e);
            if (param != null) {
                errors.put(param.startsWith("training_text") && source.get() == DataSource.DATANETS ? DATANETS : param,
                        NodeFailures.message(e));
                message.set("The node refused the job: " + NodeFailures.message(e));
            } else {
                message.set("Could not start the job: " + NodeFailures.message(e));
            }
        }).andFinally(() -> starting.set(false)).start();
    }

    /** Shows a job from the history. */
    public void select(FineTuneJob job) {
        if (job != null) {
            FineTuneJob shown = monitor.jobProperty().get();
            if (shown == null || !shown.id().equals(job.id())) {
                monitor.show(job);
            }
        }
    }

    public void cancel() {
        FineTuneJob job = monitor.jobProperty().get();
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (job == null || client.isEmpty() || job.finished()) {
            return;
        }
        tasks.create("Cancelling " + job.id(), p -> client.get().cancelFineTuneJob(job.id()))
                .onSuccess(j -> message.set("Cancellation requested for " + j.id() + "."))
                .onError(e -> message.set("Could not cancel: " + NodeFailures.message(e))).start();
    }

    /** Queues a cancelled or failed job again from its last checkpoint. */
    public void resume() {
        FineTuneJob job = monitor.jobProperty().get();
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (job == null || client.isEmpty()) {
            return;
        }
        tasks.create("Resuming " + job.id(), p -> client.get().resumeFineTuneJob(job.id())).onSuccess(j -> {
            message.set("Job " + j.id() + " resumed.");
            replace(j);
            monitor.show(j);
        }).onError(e -> {
            if (NodeFailures.unsupported(e)) {
                resumeSupported.set(false);
                message.set("This node cannot resume jobs.");
            } else {
                message.set("Could not resume: " + NodeFailures.message(e));
            }
        }).start();
    }

    /** Opens the shown job's adapter in the Playground. */
    public void openInPlayground() {
        FineTuneJob job = monitor.jobProperty().get();
        if (job != null && job.fineTunedModel() != null) {
            openInPlayground.accept(job.fineTunedModel());
        }
    }

    /** Keeps the history's row of {@code job} current. */
    private void replace(FineTuneJob job) {
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i).id().equals(job.id())) {
                if (!jobs.get(i).equals(job)) {
                    jobs.set(i, job);
                }
                return;
            }
        }
        jobs.add(0, job);
    }
}
