package org.openledger.studio.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.finetune.Pretraining;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.finetune.stories.GeneratedCorpus;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.generate.TokenListener;
import org.openledger.studio.gpu.safetensors.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio model}: base models built here. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Build base models.",
        subcommands = {ModelCommand.Pretrain.class, ModelCommand.WriteCorpus.class})
public final class ModelCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserError("name a subcommand, e.g. `studio model pretrain`; see `studio model --help`");
    }

    /** The project's own generated English, the corpus the bundled model is trained on. */
    @Command(name = "corpus", mixinStandardHelpOptions = true,
            description = "Write simple English generated from the project's own templates (short children's"
                    + " stories, plain facts, User:/Assistant: conversations) as one .txt file per document;"
                    + " CC0. The same --documents and --seed write the same files.")
    static final class WriteCorpus implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "Folder for the .txt files.")
        Path out;

        @Option(names = "--documents", defaultValue = "40000",
                description = "Number of documents (default: ${DEFAULT-VALUE}).")
        int documents;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            GeneratedCorpus.Summary s;
            try {
                s = GeneratedCorpus.write(out, documents, seed);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            System.out.printf(Locale.ROOT, "corpus: %d documents, %d characters, %d words in %s%n", s.documents(),
                    s.characters(), s.words(), s.dir());
            return 0;
        }
    }

    /** Tokenizer and weights from plain text, written in Hugging Face layout. */
    @Command(name = "pretrain", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE tokenizer and a small Llama-family model on the .txt files of a"
                    + " folder; writes config.json, model.safetensors, tokenizer.json and tokenizer_config.json."
                    + " Run again with the same options to resume an interrupted run.")
    static final class Pretrain implements Callable<Integer> {

        @Option(names = "--corpus", required = true, description = "Folder of .txt files (searched recursively).")
        Path corpus;

        @Option(names = "--out", required = true, description = "Folder for the model.")
        Path out;

        @Option(names = "--vocab", defaultValue = "4096", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
        int vocab;

        @Option(names = "--layers", defaultValue = "4", description = "Decoder blocks (default: ${DEFAULT-VALUE}).")
        int layers;

        @Option(names = "--hidden", defaultValue = "256", description = "Hidden size (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
        int heads;

        @Option(names = "--context", defaultValue = "256", description = "Context length (default: ${DEFAULT-VALUE}).")
        int context;

        @Option(names = "--steps", defaultValue = "2000", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--batch", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--dtype", defaultValue = "F16", description = "F32, F16 or BF16 (default: ${DEFAULT-VALUE}).")
        DType dtype;

        @Option(names = "--log-every", defaultValue = "10", description = "Steps between progress lines.")
        int logEvery;

        @Override
        public Integer call() throws Exception {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            if (!dtype.isFloat()) {
                throw new UserError("--dtype must be F32, F16 or BF16");
            }
            Pretraining.Options options;
            try {
                options = new Pretraining.Options(vocab, layers, hidden, heads, context, steps, batch, lr, seed, 20,
                        dtype);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            TrainingListener progress = new TrainingListener() {
                @Override
                public void onStep(StepReport r) {
                    if (r.step() % Math.max(1, logEvery) == 0 || r.step() == r.steps()) {
                        double eta = (r.steps() - r.step()) * (double) (r.tokensSeen() / r.step()) / r.tokensPerSecond();
                        out.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e grad-norm %.2f %.0f tokens/s eta %.0f s%n",
                                r.step(), r.steps(), r.loss(), r.learningRate(), r.gradientNorm(), r.tokensPerSecond(),
                                eta);
                    }
                }

                @Override
                public void onEvaluation(Evaluation e) {
                    out.printf(Locale.ROOT, "step %d validation loss %.4f perplexity %.2f (%d windows)%n", e.step(),
                            e.loss(), e.perplexity(), e.windows());
                }
            };
            Pretraining.Report report;
            try {
                report = new Pretraining(out::println).run(corpus, out(), options, progress, () -> false);
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                throw new UserError(e.getMessage());
            }
            out.printf(Locale.ROOT, "model: %s, %d parameters, %d training tokens seen (%.0f tokens/s)%n",
                    report.out(), report.parameters(), report.result().tokensSeen(), report.result().tokensPerSecond());
            if (report.result().validationLoss() != null) {
                out.printf(Locale.ROOT, "validation perplexity %.2f (loss %.4f) on %d held-out tokens%n",
                        report.result().validationPerplexity(), report.result().validationLoss(),
                        report.validationTokens());
            }
            samples(out);
            return 0;
        }

        private Path out() {
            return out;
        }

        /** Loads the written folder through the serving runtime and continues a few prompts, greedy and sampled. */
        private void samples(PrintStream out) throws Exception {
            try (BaseModel model = BaseModel.load(this.out, DeviceScan.ofThisMachine().pick("cpu"), 1,
                    BaseModel.DEFAULT_CONTEXT_CAP)) {
                Generator generator = new Generator(model);
                for (String prompt : List.of("Once upon a time", "Tom and his dog",
                        "User: Tell me a story about a cat.\nAssistant:")) {
                    for (double t : new double[] {0, 0.8}) {
                        String text = generator.generate(GenerationRequest.builder(Prompts.completion(model, prompt))
                                .maxTokens(60).temperature(t).topP(0.95).seed(seed).build(), TokenListener.NONE).text();
                        out.printf(Locale.ROOT, "sample (temperature %.1f): %s%s%n", t, prompt.replace("\n", " / "),
                                text.replace("\n", " / "));
                    }
                }
            }
        }
    }
}
