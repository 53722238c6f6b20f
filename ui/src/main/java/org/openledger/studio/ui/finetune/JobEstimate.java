package org.openledger.studio.ui.finetune;

import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableMap;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * What the job the Fine-tune form describes would take, as the active node estimates it
 * ({@code POST /v1/fine_tuning/estimate}): the newest answer wins, and a node without the endpoint is asked no more.
 * A refused field goes into the form's errors under the node's {@code param}.
 */
final class JobEstimate {

    private final ActiveNode<FineTuneApi> activeNode;
    private final BackgroundTasks tasks;
    private final ObservableMap<String, String> errors;
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty warnings = new SimpleStringProperty("");
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private boolean supported = true;
    private long generation;

    JobEstimate(ActiveNode<FineTuneApi> activeNode, BackgroundTasks tasks, ObservableMap<String, String> errors) {
        this.activeNode = activeNode;
        this.tasks = tasks;
        this.errors = errors;
    }

    StringProperty textProperty() {
        return text;
    }

    StringProperty warningsProperty() {
        return warnings;
    }

    BooleanProperty runningProperty() {
        return running;
    }

    /** Another node may estimate: ask it again. */
    void reset() {
        supported = true;
    }

    /**
     * Asks the node about {@code request}; when there is none, says why instead.
     *
     * @param fieldsWrong whether the form's own checks found a problem (so the request is missing)
     */
    void ask(Optional<FineTuneRequest> request, boolean fieldsWrong) {
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (!supported) {
            return;
        }
        if (request.isEmpty() || client.isEmpty()) {
            text.set(client.isEmpty() ? "No node is connected." : fieldsWrong
                    ? "No estimate: fix the fields marked." : "Choose the model and data to see an estimate.");
            warnings.set("");
            return;
        }
        FineTuneApi node = client.get();
        long gen = ++generation;
        running.set(true);
        tasks.create("Estimating the job", p -> node.estimateFineTune(request.get())).onSuccess(e -> {
            if (gen == generation) {
                text.set(describe(e));
                warnings.set(e.warnings() == null ? "" : String.join("\n", e.warnings()));
            }
        }).onError(e -> {
            if (gen != generation) {
                return;
            }
            if (NodeFailures.unsupported(e)) {
                supported = false;
                text.set("This node cannot estimate jobs (it has no /v1/fine_tuning/estimate); the job's"
                        + " steps and speed show once it runs.");
            } else if (NodeFailures.param(e) != null) {
                errors.put(NodeFailures.param(e), NodeFailures.message(e));
                text.set("No estimate: fix the field marked.");
            } else {
                text.set("No estimate: " + NodeFailures.message(e));
            }
            warnings.set("");
        }).andFinally(() -> {
            if (gen == generation) {
                running.set(false);
            }
        }).start();
    }

    static String describe(FineTuneEstimate e) {
        StringBuilder sb = new StringBuilder();
        sb.append("Time: ").append(e.seconds() == null ? "unknown (no speed measured yet)"
                : "about " + Units.duration(e.seconds()));
        if (e.tokensPerSecond() != null) {
            sb.append(" at ").append(Units.rate(e.tokensPerSecond()));
            if (e.speedSource() != null) {
                sb.append(" (").append(e.speedSource()).append(")");
            }
        }
        sb.append("\nMemory: ").append(Units.bytes(e.memoryBytes()));
        if (e.device() != null) {
            sb.append(" on ").append(e.device());
        }
        sb.append("\nSteps: ").append(Units.count(e.steps())).append(" · trainable parameters: ")
                .append(Units.count(e.trainableParameters()));
        sb.append("\nTokens: ").append(Units.count(e.trainingTokens())).append(" to train on, ")
                .append(Units.count(e.validationTokens())).append(" held out");
        sb.append("\nData: ").append(Units.count(e.documents())).append(" documents, ")
                .append(Units.count(e.trainingRows())).append(" training rows, ")
                .append(Units.count(e.validationRows())).append(" validation rows");
        return sb.toString();
    }
}
