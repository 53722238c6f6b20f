package org.openledger.studio.ui.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import org.openledger.studio.api.finetune.FineTuneRequest;

/**
 * The hyperparameters of a fine-tuning job as the user types them: text, checked here with the ranges the node
 * checks, and turned into a {@link FineTuneRequest}. Errors are keyed by the node's own {@code param} names
 * (e.g. {@code lora.r}), so a 400 from the node lands next to the same field as a check made here.
 */
public final class TrainingSettings {

    public static final String EPOCHS = "hyperparameters.n_epochs";
    public static final String BATCH = "hyperparameters.batch_size";
    public static final String ACCUMULATION = "hyperparameters.gradient_accumulation_steps";
    public static final String LR = "hyperparameters.learning_rate_multiplier";
    public static final String SPLIT = "hyperparameters.validation_split";
    public static final String EVAL_EVERY = "hyperparameters.eval_every";
    public static final String CHECKPOINT_EVERY = "hyperparameters.checkpoint_every";
    public static final String RANK = "lora.r";
    public static final String ALPHA = "lora.alpha";
    public static final String DROPOUT = "lora.dropout";
    public static final String TARGETS = "lora.target_modules";
    public static final String SEED = "seed";
    public static final String SUFFIX = "suffix";

    /** The projections LoRA can adapt, in PEFT's names, in the order a Llama block has them. */
    public static final List<String> MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
            "up_proj", "down_proj");

    /** The node's limit on a job's steps, and so on the step intervals. */
    static final int MAX_STEPS = 20_000;

    private static final Pattern SUFFIX_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    private final StringProperty epochs = new SimpleStringProperty("3");
    private final StringProperty batchSize = new SimpleStringProperty("4");
    private final StringProperty accumulation = new SimpleStringProperty("1");
    private final StringProperty learningRate = new SimpleStringProperty("1.0");
    private final StringProperty rank = new SimpleStringProperty("8");
    private final StringProperty alpha = new SimpleStringProperty("");
    private final StringProperty dropout = new SimpleStringProperty("0");
    private final StringProperty validationSplit = new SimpleStringProperty("0.1");
    private final StringProperty evalEvery = new SimpleStringProperty("");
    private final StringProperty checkpointEvery = new SimpleStringProperty("");
    private final StringProperty seed = new SimpleStringProperty("");
    private final StringProperty suffix = new SimpleStringProperty("");
    private final ObservableSet<String> targets = FXCollections.observableSet(new java.util.TreeSet<>(
            List.of("q_proj", "v_proj")));

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty batchSizeProperty() {
        return batchSize;
    }

    /** Micro-batches summed into one optimiser step. */
    public StringProperty accumulationProperty() {
        return accumulation;
    }

    public StringProperty learningRateProperty() {
        return learningRate;
    }

    public StringProperty rankProperty() {
        return rank;
    }

    public StringProperty alphaProperty() {
        return alpha;
    }

    /** LoRA dropout on the adapter's input while training; 0 for none. */
    public StringProperty dropoutProperty() {
        return dropout;
    }

    public StringProperty validationSplitProperty() {
        return validationSplit;
    }

    /** Steps between validation measurements; empty = the node's default (a tenth of the steps). */
    public StringProperty evalEveryProperty() {
        return evalEvery;
    }

    /** Steps between checkpoints (what Resume goes on from); empty = the node's default (a fifth, at most 200). */
    public StringProperty checkpointEveryProperty() {
        return checkpointEvery;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public StringProperty suffixProperty() {
        return suffix;
    }

    public ObservableSet<String> targets() {
        return targets;
    }

    /** Everything that changes the request: the estimate is asked again when one of them changes. */
    public Observable[] inputs() {
        return new Observable[]{epochs, batchSize, accumulation, learningRate, rank, alpha, dropout, validationSplit,
            evalEvery, checkpointEvery, seed, suffix, targets};
    }

    /** What is wrong, by the node's param name; empty when the settings make a valid request. */
    public Map<String, String> problems() {
        Map<String, String> out = new LinkedHashMap<>();
        integer(out, EPOCHS, epochs.get(), 1, 50, "Epochs");
        integer(out, BATCH, batchSize.get(), 1, 64, "Batch size");
        integer(out, ACCUMULATION, accumulation.get(), 1, 64, "Accumulation");
        Double lr = decimal(out, LR, learningRate.get(), "The multiplier");
        if (lr != null && !(lr > 0 && lr <= 10)) {
            out.put(LR, "The multiplier must be above 0 and at most 10");
        }
        integer(out, RANK, rank.get(), 1, 256, "The rank");
        if (!blank(alpha.get())) {
            Double a = decimal(out, ALPHA, alpha.get(), "Alpha");
            if (a != null && !(a > 0 && a <= 4096)) {
                out.put(ALPHA, "Alpha must be above 0 and at most 4096");
            }
        }
        Double d = decimal(out, DROPOUT, dropout.get(), "Dropout");
        if (d != null && !(d >= 0 && d <= 0.5)) {
            out.put(DROPOUT, "Dropout must be from 0 to 0.5");
        }
        Double split = decimal(out, SPLIT, validationSplit.get(), "The split");
        if (split != null && !(split >= 0 && split <= 0.5)) {
            out.put(SPLIT, "Hold out between 0 (none) and 0.5 of the documents");
        }
        if (!blank(evalEvery.get())) {
            integer(out, EVAL_EVERY, evalEvery.get(), 1, MAX_STEPS, "The evaluation interval");
        }
        if (!blank(checkpointEvery.get())) {
            integer(out, CHECKPOINT_EVERY, checkpointEvery.get(), 1, MAX_STEPS, "The checkpoint interval");
        }
        if (targets.isEmpty()) {
            out.put(TARGETS, "Pick at least one module");
        }
        if (!blank(seed.get())) {
            try {
                if (Long.parseLong(seed.get().strip()) < 0) {
                    out.put(SEED, "The seed is a whole number, 0 or more");
                }
            } catch (NumberFormatException e) {
                out.put(SEED, "The seed is a whole number, 0 or more (or empty for a random one)");
            }
        }
        if (!blank(suffix.get()) && !SUFFIX_PATTERN.matcher(suffix.get().strip()).matches()) {
            out.put(SUFFIX, "1-40 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return out;
    }

    /** The request for these settings; call only when {@link #problems()} is empty. */
    public FineTuneRequest request(String model, String trainingText, List<String> datanets) {
        var h = new FineTuneRequest.Hyperparameters(Integer.parseInt(epochs.get().strip()),
                Integer.parseInt(batchSize.get().strip()), Double.parseDouble(learningRate.get().strip()),
                Double.parseDouble(validationSplit.get().strip()), optionalInt(evalEvery.get()),
                optionalInt(checkpointEvery.get()), Integer.parseInt(accumulation.get().strip()));
        var lora = new FineTuneRequest.Lora(Integer.parseInt(rank.get().strip()),
                blank(alpha.get()) ? null : Double.parseDouble(alpha.get().strip()),
                Double.parseDouble(dropout.get().strip()),
                MODULES.stream().filter(targets::contains).toList());
        return new FineTuneRequest(model, trainingText, datanets == null ? null : new ArrayList<>(datanets), h, lora,
                blank(suffix.get()) ? null : suffix.get().strip(),
                blank(seed.get()) ? null : Long.parseLong(seed.get().strip()));
    }

    private static void integer(Map<String, String> out, String param, String text, int min, int max, String what) {
        try {
            int v = Integer.parseInt(text == null ? "" : text.strip());
            if (v < min || v > max) {
                out.put(param, what + " must be from " + min + " to " + max);
            }
        } catch (NumberFormatException e) {
            out.put(param, what + " must be a whole number from " + min + " to " + max);
        }
    }

    private static Double decimal(Map<String, String> out, String param, String text, String what) {
        try {
            double v = Double.parseDouble(text == null ? "" : text.strip());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        out.put(param, what + " must be a number");
        return null;
    }

    private static Integer optionalInt(String s) {
        return blank(s) ? null : Integer.valueOf(s.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
