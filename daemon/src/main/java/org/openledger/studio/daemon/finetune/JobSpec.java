package org.openledger.studio.daemon.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * A checked job request with the node's defaults filled in, and its training data tokenised and packed into one
 * stream (each document opened by {@code <|endoftext|>}). The data is {@code training_text}: JSON lines of
 * {"prompt","response"} (trained on as prompt + response, loss on every token) or {"text"}, or else plain text.
 */
record JobSpec(int epochs, int batchSize, double learningRateMultiplier, int rank, double alpha,
               Set<Projection> targets, String suffix, long seed, int[] tokens, int context, int steps) {

    static final double BASE_LEARNING_RATE = 1e-3;
    static final int MAX_CONTEXT = 128;
    static final int MAX_STEPS = 20_000;
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final String END_OF_TEXT = "<|endoftext|>";

    FineTuneRequest.Hyperparameters hyperparameters() {
        return new FineTuneRequest.Hyperparameters(epochs, batchSize, learningRateMultiplier);
    }

    FineTuneRequest.Lora lora() {
        return new FineTuneRequest.Lora(rank, alpha, 0.0, targets.stream().sorted().map(Projection::module).toList());
    }

    double learningRate() {
        return BASE_LEARNING_RATE * learningRateMultiplier;
    }

    static JobSpec of(FineTuneRequest req, BaseModel base, long defaultSeed) throws InvalidFineTuneException {
        if (req.model() != null && !req.model().equals(base.id())) {
            throw new InvalidFineTuneException("model", "This node fine-tunes its base model '" + base.id()
                    + "', not '" + req.model() + "'");
        }
        var h = req.hyperparameters() != null ? req.hyperparameters()
                : new FineTuneRequest.Hyperparameters(null, null, null);
        int epochs = range("hyperparameters.n_epochs", h.nEpochs(), 3, 1, 50);
        int batch = range("hyperparameters.batch_size", h.batchSize(), 4, 1, 64);
        double lrm = h.learningRateMultiplier() == null ? 1.0 : h.learningRateMultiplier();
        if (!(lrm > 0 && lrm <= 10)) {
            throw new InvalidFineTuneException("hyperparameters.learning_rate_multiplier",
                    "learning_rate_multiplier must be in (0, 10], got " + lrm);
        }
        var l = req.lora() != null ? req.lora() : new FineTuneRequest.Lora(null, null, null, null);
        int rank = range("lora.r", l.r(), 8, 1, 256);
        double alpha = l.alpha() == null ? 2.0 * rank : l.alpha();
        if (!(alpha > 0 && alpha <= 4096)) {
            throw new InvalidFineTuneException("lora.alpha", "lora.alpha must be in (0, 4096], got " + alpha);
        }
        if (l.dropout() != null && l.dropout() != 0.0) {
            throw new InvalidFineTuneException("lora.dropout", "LoRA dropout is not supported by this node's trainer;"
                    + " leave it out or send 0");
        }
        Set<Projection> targets = targets(l.targetModules());
        String suffix = req.suffix();
        if (suffix != null && !SUFFIX.matcher(suffix).matches()) {
            throw new InvalidFineTuneException("suffix", "suffix must be 1-40 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        int[] tokens = tokens(req.trainingText(), base);
        int context = Math.min(Math.min(base.context(), MAX_CONTEXT), tokens.length - 1);
        if (context < 8) {
            throw new InvalidFineTuneException("training_text", "The training text holds " + tokens.length
                    + " tokens; at least 9 are needed");
        }
        long steps = Math.max(1, ((long) epochs * tokens.length + (long) batch * context - 1) / ((long) batch * context));
        if (steps > MAX_STEPS) {
            throw new InvalidFineTuneException("training_text", "This would take " + steps + " steps, more than "
                    + MAX_STEPS + "; send less text or fewer epochs");
        }
        long seed = req.seed() == null ? defaultSeed : req.seed();
        return new JobSpec(epochs, batch, lrm, rank, alpha, targets, suffix, seed, tokens, context, (int) steps);
    }

    private static int range(String param, Integer value, int fallback, int min, int max)
            throws InvalidFineTuneException {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new InvalidFineTuneException(param, param + " must be in ["
                    + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private static Set<Projection> targets(List<String> modules) throws InvalidFineTuneException {
        if (modules == null) {
            return EnumSet.of(Projection.Q, Projection.V);
        }
        if (modules.isEmpty()) {
            throw new InvalidFineTuneException("lora.target_modules", "target_modules needs at least one module");
        }
        Set<Projection> out = EnumSet.noneOf(Projection.class);
        for (String m : modules) {
            Projection p = Projection.ofModule(m);
            if (p == null) {
                throw new InvalidFineTuneException("lora.target_modules", "Unknown target module '" + m
                        + "'; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj");
            }
            out.add(p);
        }
        return out;
    }

    private static int[] tokens(String text, BaseModel base) throws InvalidFineTuneException {
        if (text == null || text.isBlank()) {
            throw new InvalidFineTuneException("training_text", "training_text is required: the lines of a .jsonl"
                    + " file ({\"prompt\",\"response\"} or {\"text\"}) or plain text");
        }
        TextTokenizer tokenizer;
        try {
            tokenizer = base.requireTokenizer();
        } catch (Exception e) {
            throw new InvalidFineTuneException("model", "The base model has no tokenizer: " + e.getMessage());
        }
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        for (String doc : documents(text)) {
            long[] ids = tokenizer.encodeWithSpecialTokens(END_OF_TEXT + doc);
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (long[] ids : parts) {
            for (long id : ids) {
                out[at++] = (int) id;
            }
        }
        return out;
    }

    /** JSON lines when every non-blank line is a JSON object with text or prompt/response; otherwise one text. */
    static List<String> documents(String text) throws InvalidFineTuneException {
        List<String> lines = text.lines().filter(s -> !s.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).stripLeading().startsWith("{")) {
            return List.of(text);
        }
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row;
            try {
                row = Wire.mapper().readTree(lines.get(i));
            } catch (Exception e) {
                throw new InvalidFineTuneException("training_text", "Line " + (i + 1) + " is not JSON");
            }
            if (row.hasNonNull("text")) {
                docs.add(row.get("text").asText());
            } else if (row.hasNonNull("prompt") && row.hasNonNull("response")) {
                docs.add(row.get("prompt").asText() + row.get("response").asText());
            } else {
                throw new InvalidFineTuneException("training_text", "Line " + (i + 1)
                        + " needs \"text\" or \"prompt\" and \"response\"");
            }
        }
        return docs;
    }
}
