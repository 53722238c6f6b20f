package org.openledger.studio.daemon.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.datanet.ingest.InstructionText;
import org.openledger.studio.finetune.TokenWindows;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.tokenizer.ChatMessage;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;
import org.openledger.studio.gpu.tokenizer.ChatTemplateException;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * A checked job request with the node's defaults filled in, and its data split and packed. The data is either
 * {@code training_text} (JSON lines of {"prompt","response"}, {"instruction","input","output"} or {"text"}, or else
 * plain text) or the rows of the named Datanets in the node's registry, where a row the ingest wrote from an
 * instruction pair ({@link InstructionText}) is a pair again. Documents are split into training and validation by a shuffle seeded with
 * the job's seed (when there are at least {@link #MIN_DOCUMENTS_TO_SPLIT}; one long text is split at 1 - split of
 * its tokens instead), then each side is tokenised and packed into one stream, each document opened by
 * {@code <|endoftext|>}. A document longer than the context is not cut off: packing spreads it over windows, and
 * the job reports how many were. Instruction pairs go through the model's chat template and only their responses'
 * tokens count in the loss.
 */
record JobSpec(int epochs, int batchSize, int accumulation, double learningRateMultiplier, int rank, double alpha,
               double dropout, Set<Projection> targets, String suffix, long seed, double validationSplit,
               int evalEvery, int checkpointEvery, List<String> datanets, Data data, int context, int steps) {

    static final double BASE_LEARNING_RATE = 1e-3;
    static final int MAX_CONTEXT = 128;
    static final int MAX_STEPS = 20_000;
    static final int MIN_DOCUMENTS_TO_SPLIT = 10;
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final Pattern DATANET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final String END_OF_TEXT = "<|endoftext|>";
    /** In the stored documents: the 1-based line of the job's inline data a document came from (0: none). */
    static final String SOURCE_LINE = "source_line";

    /**
     * One document to train on, with the registry row it came from (null for inline text). An instruction pair has
     * a {@code prompt} and its {@code text} is the response: only the response's tokens are learned.
     */
    record Document(String prompt, String text, TrainedRow row, Integer line) {

        Document(String text, TrainedRow row) {
            this(null, text, row, null);
        }

        Document(String prompt, String text, TrainedRow row) {
            this(prompt, text, row, null);
        }
    }

    /**
     * The packed streams and what went into them: documents on each side, the Datanet rows with their split, and
     * how many documents were longer than one window.
     */
    record Data(int[] train, int[] validation, int documents, int trainingDocuments, int validationDocuments,
                List<TrainedRow> rows, int splitDocuments, List<Document> ordered, boolean[] trainTargets,
                boolean[] validationTargets, boolean[] held) {

        TokenWindows windows() {
            return new TokenWindows(train, trainTargets, validation, validationTargets);
        }
    }

    FineTuneRequest.Hyperparameters hyperparameters() {
        return new FineTuneRequest.Hyperparameters(epochs, batchSize, learningRateMultiplier, validationSplit,
                evalEvery, checkpointEvery, accumulation);
    }

    FineTuneRequest.Lora lora() {
        return new FineTuneRequest.Lora(rank, alpha, dropout, targets.stream().sorted().map(Projection::module)
                .toList());
    }

    /** Tokens one optimiser step trains on: its micro-batches of {@code batchSize} windows of {@code context}. */
    long tokensPerStep() {
        return (long) batchSize * accumulation * context;
    }

    double learningRate() {
        return BASE_LEARNING_RATE * learningRateMultiplier;
    }

    /** The documents as JSON lines of {"text"}, in order: the stored form a resumed job is rebuilt from. */
    String documentsAsJsonLines() {
        StringBuilder out = new StringBuilder();
        for (Document d : data.ordered()) {
            var row = d.prompt() == null ? Wire.mapper().createObjectNode().put("text", d.text())
                    : Wire.mapper().createObjectNode().put("prompt", d.prompt()).put("response", d.text());
            // 0: a plain text, whose lines are its rows
            row.put(SOURCE_LINE, d.line() == null ? 0 : d.line());
            out.append(row).append('\n');
        }
        return out.toString();
    }

    static JobSpec of(FineTuneRequest req, BaseModel base, long defaultSeed, DatanetRows registry)
            throws InvalidFineTuneException {
        if (req.model() != null && !req.model().equals(base.id())) {
            throw new InvalidFineTuneException("model", "This node fine-tunes its base model '" + base.id()
                    + "', not '" + req.model() + "'");
        }
        var h = req.hyperparameters() != null ? req.hyperparameters()
                : new FineTuneRequest.Hyperparameters(null, null, null);
        int epochs = range("hyperparameters.n_epochs", h.nEpochs(), 3, 1, 50);
        int batch = range("hyperparameters.batch_size", h.batchSize(), 4, 1, 64);
        int accumulation = range("hyperparameters.gradient_accumulation_steps", h.gradientAccumulationSteps(), 1, 1,
                64);
        double lrm = h.learningRateMultiplier() == null ? 1.0 : h.learningRateMultiplier();
        if (!(lrm > 0 && lrm <= 10)) {
            throw new InvalidFineTuneException("hyperparameters.learning_rate_multiplier",
                    "learning_rate_multiplier must be in (0, 10], got " + lrm);
        }
        double split = h.validationSplit() == null ? 0.1 : h.validationSplit();
        if (!(split >= 0 && split <= 0.5)) {
            throw new InvalidFineTuneException("hyperparameters.validation_split",
                    "validation_split must be in [0, 0.5], got " + split);
        }
        var l = req.lora() != null ? req.lora() : new FineTuneRequest.Lora(null, null, null, null);
        int rank = range("lora.r", l.r(), 8, 1, 256);
        double alpha = l.alpha() == null ? 2.0 * rank : l.alpha();
        if (!(alpha > 0 && alpha <= 4096)) {
            throw new InvalidFineTuneException("lora.alpha", "lora.alpha must be in (0, 4096], got " + alpha);
        }
        double dropout = l.dropout() == null ? 0.0 : l.dropout();
        if (!(dropout >= 0 && dropout <= 0.5)) {
            throw new InvalidFineTuneException("lora.dropout", "lora.dropout must be in [0, 0.5], got " + dropout);
        }
        Set<Projection> targets = targets(l.targetModules());
        String suffix = req.suffix();
        if (suffix != null && !SUFFIX.matcher(suffix).matches()) {
            throw new InvalidFineTuneException("suffix", "suffix must be 1-40 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        long seed = req.seed() == null ? defaultSeed : req.seed();
        List<String> datanets = req.datanets() == null || req.datanets().isEmpty() ? null
                : List.copyOf(req.datanets());
        List<Document> docs = documents(req.trainingText(), datanets, registry);
        TextTokenizer tokenizer;
        try {
            tokenizer = base.requireTokenizer();
        } catch (Exception e) {
            throw new InvalidFineTuneException("model", "The base model has no tokenizer: " + e.getMessage());
        }
        int cap = Math.min(base.context(), MAX_CONTEXT);
        Data data = pack(docs, tokenizer, base.chatTemplate().orElse(null), split, seed, cap);
        int context = Math.min(cap, data.train().length - 1);
        if (context < 8) {
            throw new InvalidFineTuneException(datanets != null ? "datanets" : "training_text", "The training data"
                    + " holds " + data.train().length + " tokens after the validation split; at least 9 are needed");
        }
        long perStep = (long) batch * accumulation * context;
        long steps = Math.max(1, ((long) epochs * data.train().length + perStep - 1) / perStep);
        if (steps > MAX_STEPS) {
            throw new InvalidFineTuneException(datanets != null ? "datanets" : "training_text", "This would take "
                    + steps + " steps, more than " + MAX_STEPS + "; use less data or fewer epochs");
        }
        int evalEvery = range("hyperparameters.eval_every", h.evalEvery(), (int) Math.max(1, steps / 10), 1,
                MAX_STEPS);
        int checkpointEvery = range("hyperparameters.checkpoint_every", h.checkpointEvery(),
                (int) Math.max(1, Math.min(steps / 5, 200)), 1, MAX_STEPS);
        return new JobSpec(epochs, batch, accumulation, lrm, rank, alpha, dropout, targets, suffix, seed, split, evalEvery,
                checkpointEvery, datanets, data, context, (int) steps);
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

    private static List<Document> documents(String text, List<String> datanets, DatanetRows registry)
            throws InvalidFineTuneException {
        boolean hasText = text != null && !text.isBlank();
        if (hasText && datanets != null) {
            throw new InvalidFineTuneException("datanets", "Give training_text or datanets, not both");
        }
        if (datanets == null) {
            if (!hasText) {
                throw new InvalidFineTuneException("training_text", "training_text or datanets is required:"
                        + " the lines of a .jsonl file ({\"prompt\",\"response\"} or {\"text\"}), plain text, or the"
                        + " ids of Datanets on this node");
            }
            return texts(text);
        }
        List<Document> out = new ArrayList<>();
        for (String id : datanets) {
            if (id == null || !DATANET.matcher(id).matches()) {
                throw new InvalidFineTuneException("datanets", "'" + id + "' is not a Datanet id");
            }
            if (datanets.indexOf(id) != datanets.lastIndexOf(id)) {
                throw new InvalidFineTuneException("datanets", "Datanet '" + id + "' is named twice");
            }
            List<DatanetRows.Row> rows = registry.rows(id);
            if (rows == null || rows.isEmpty()) {
                throw new InvalidFineTuneException("datanets", "Datanet '" + id + "' has no rows on this node;"
                        + " upload contributions to it first");
            }
            for (DatanetRows.Row r : rows) {
                out.add(InstructionText.parse(r.text())
                        .map(pair -> new Document(pair.prompt(), pair.response(), r.source()))
                        .orElseGet(() -> new Document(r.text(), r.source())));
            }
        }
        return out;
    }

    /** JSON lines when every non-blank line is a JSON object with text or prompt/response; otherwise one text. */
    static List<Document> texts(String text) throws InvalidFineTuneException {
        List<String> all = text.lines().toList();
        List<String> lines = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).isBlank()) {
                lines.add(all.get(i));
                numbers.add(i + 1);
            }
        }
        if (lines.isEmpty() || !lines.get(0).stripLeading().startsWith("{")) {
            return List.of(new Document(text, null));
        }
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row;
            try {
                row = Wire.mapper().readTree(lines.get(i));
            } catch (Exception e) {
                throw new InvalidFineTuneException("training_text", "Line " + numbers.get(i) + " is not JSON");
            }
            if (row == null || !row.isObject()) {
                throw new InvalidFineTuneException("training_text", "Line " + numbers.get(i)
                        + " is not a JSON object");
            }
            // a stored job's documents name the line of the original data they came from
            Integer line = row.path(SOURCE_LINE).canConvertToInt() ? Integer.valueOf(row.get(SOURCE_LINE).asInt())
                    : numbers.get(i);
            if (line != null && line < 1) {
                line = null;
            }
            String prompt = field(row, "prompt", "instruction", "question");
            String response = field(row, "response", "output", "completion", "answer");
            if (row.hasNonNull("text")) {
                docs.add(new Document(null, row.get("text").asText(), null, line));
            } else if (prompt != null && response != null) {
                String input = field(row, "input", "context");
                docs.add(new Document(input == null || input.isBlank() ? prompt : prompt + "\n\n" + input,
                        response, null, line));
            } else {
                throw new InvalidFineTuneException("training_text", "Line " + numbers.get(i)
                        + " needs \"text\" or \"prompt\" and \"response\" (or \"instruction\" and \"output\")");
            }
        }
        return docs;
    }

    private static String field(JsonNode row, String... names) {
        for (String name : names) {
            if (row.hasNonNull(name)) {
                return row.get(name).asText();
            }
        }
        return null;
    }

    /**
     * A document's tokens and which of them are learned: all of a text; of an instruction pair, the prompt is
     * rendered as the user's turn by the model's chat template (with the assistant's turn opened) and read but not
     * learned, and the response (closed as the template closes a turn) is learned. A model without a chat template
     * gets the prompt and the response as they are.
     */
    static void tokens(Document d, TextTokenizer tokenizer, ChatTemplate template, List<Integer> ids,
                               List<Boolean> learned) throws InvalidFineTuneException {
        String head = END_OF_TEXT;
        String body = d.text();
        if (d.prompt() != null) {
            String prefix = d.prompt();
            if (template != null) {
                try {
                    prefix = template.render(List.of(ChatMessage.user(d.prompt())), true);
                    String full = template.render(List.of(ChatMessage.user(d.prompt()),
                            new ChatMessage("assistant", d.text())), false);
                    if (full.startsWith(prefix)) {
                        body = full.substring(prefix.length());
                    }
                } catch (ChatTemplateException e) {
                    throw new InvalidFineTuneException("training_text", "The model's chat template cannot render"
                            + " an instruction pair: " + e.getMessage());
                }
            }
            for (long id : tokenizer.encodeWithSpecialTokens(head + prefix)) {
                ids.add((int) id);
                learned.add(false);
            }
            head = "";
        }
        boolean first = true;
        for (long id : tokenizer.encodeWithSpecialTokens(head + body)) {
            ids.add((int) id);
            // the end-of-text that opens a plain document is context, not something to predict
            learned.add(!(first && !head.isEmpty()));
            first = false;
        }
    }

    /** Splits (seeded), tokenises and packs the documents. */
    private static Data pack(List<Document> docs, TextTokenizer tokenizer, ChatTemplate template, double split,
                             long seed, int context) throws InvalidFineTuneException {
        int n = docs.size();
        boolean[] held = new boolean[n];
        int heldOut = n >= MIN_DOCUMENTS_TO_SPLIT ? (int) Math.round(n * split) : 0;
        if (heldOut > 0) {
            // a seeded Fisher-Yates over the indices: the first heldOut are validation
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EEDL);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < heldOut; i++) {
                held[order[i]] = true;
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Boolean> trainLearned = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Boolean> validationLearned = new ArrayList<>();
        List<TrainedRow> rows = new ArrayList<>();
        int longer = 0;
        boolean instructions = false;
        for (int i = 0; i < n; i++) {
            Document d = docs.get(i);
            int before = held[i] ? validation.size() : train.size();
            tokens(d, tokenizer, template, held[i] ? validation : train, held[i] ? validationLearned : trainLearned);
            instructions |= d.prompt() != null;
            if ((held[i] ? validation.size() : train.size()) - before > context + 1) {
                longer++;
            }
            if (d.row() != null) {
                TrainedRow r = d.row();
                rows.add(new TrainedRow(r.datanetId(), r.uploadId(), r.seq(), r.hash(), r.contributor(),
                        held[i] ? "validation" : "train"));
            }
        }
        int[] trainTokens = ints(train);
        int[] validationTokens = ints(validation);
        boolean[] trainTargets = instructions ? booleans(trainLearned) : null;
        boolean[] validationTargets = instructions ? booleans(validationLearned) : null;
        if (heldOut == 0 && split > 0) {
            // too few documents to hold some out: the tail of the stream, if it leaves both sides a window
            int cut = (int) Math.round(trainTokens.length * (1 - split));
            if (trainTokens.length - cut >= 9 && cut >= 9) {
                validationTokens = java.util.Arrays.copyOfRange(trainTokens, cut, trainTokens.length);
                trainTokens = java.util.Arrays.copyOf(trainTokens, cut);
                if (trainTargets != null) {
                    validationTargets = java.util.Arrays.copyOfRange(trainTargets, cut, trainTargets.length);
                    trainTargets = java.util.Arrays.copyOf(trainTargets, cut);
                }
            }
        }
        return new Data(trainTokens, validationTokens, n, n - heldOut, heldOut, List.copyOf(rows), longer,
                List.copyOf(docs), trainTargets, validationTargets, held);
    }

    private static int[] ints(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static boolean[] booleans(List<Boolean> list) {
        boolean[] out = new boolean[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
