package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.attribution.bench.InfluenceBenchmark;
import org.openledger.studio.attribution.span.SpanBenchmark;
import org.openledger.studio.daemon.rewards.EconomyBenchmark;
import org.openledger.studio.store.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench attribution}: the attribution issue's measurements. {@code --spans} (the engine is
 * {@link SpanBenchmark}): suffix-array build against Debian's libdivsufsort on the same text, bytes per token, and
 * maximal-span query latency over an index of generated text.
 */
@Command(name = "attribution", mixinStandardHelpOptions = true,
        description = "Attribution engines: --spans measures the suffix-array span index (build against"
                + " libdivsufsort, bytes per token, span query latency over --tokens of generated text).")
final class AttributionBench implements Callable<Integer> {

    @Option(names = "--spans", description = "Measure the span index.")
    boolean spans;

    @Option(names = "--influence", description = "Measure the influence engine on the bundled model: planted-fact"
            + " recall@1 (Gram preconditioner at several dampings against TracIn), the linear datamodeling score over"
            + " LoRA retrains on random halves, per-example gradients/s, and the query time over 100,000 rows"
            + " (about 15 minutes on 2 cores).")
    boolean influence;

    @Option(names = "--retrains", defaultValue = "50", description = "With --influence: LoRA retrains for the LDS"
            + " (default: ${DEFAULT-VALUE}).")
    int retrains;

    @Option(names = "--economy", description = "Fees, credits and payouts of a simulated epoch, and the time"
            + " settling it takes.")
    boolean economy;

    @Option(names = "--inferences", defaultValue = "10000", description = "With --economy: inferences in the epoch"
            + " (default: ${DEFAULT-VALUE}).")
    int inferences;

    @Option(names = "--contributors", defaultValue = "100", description = "With --economy: contributors (default:"
            + " ${DEFAULT-VALUE}).")
    int contributors;

    @Option(names = "--tokens", defaultValue = "100000000",
            description = "Tokens of generated text in the span index (default: ${DEFAULT-VALUE}; 100M needs -Xmx4g).")
    long tokens;

    @Option(names = "--vocab", defaultValue = "50257", description = "Vocabulary of the generated text (default:"
            + " ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--queries", defaultValue = "50", description = "Answers queried (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--answer-tokens", defaultValue = "256", description = "Tokens per answer (default:"
            + " ${DEFAULT-VALUE}).")
    int answerTokens;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dir", description = "Working folder (default: a temporary folder, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!spans && !influence && !economy) {
            throw new UserError("name what to measure: --spans, --influence or --economy");
        }
        if (retrains < 2 || inferences < 1 || contributors < 1) {
            throw new UserError("--retrains must be at least 2, --inferences and --contributors at least 1");
        }
        if (tokens < 1000 || vocab < 2 || queries < 1 || answerTokens < 1) {
            throw new UserError("--tokens must be at least 1000, --vocab at least 2, --queries and --answer-tokens"
                    + " at least 1");
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("--dir " + dir + " is a file, not a folder");
        }
        Path folder = dir != null ? dir : Files.createTempDirectory("studio-bench-attribution-");
        try {
            if (spans) {
                SpanBenchmark.run(new SpanBenchmark.Options(tokens, vocab, queries, answerTokens, seed, folder),
                        System.out);
            }
            if (influence) {
                Path model = ModelServing.bundled(folder.resolve("models"));
                InfluenceBenchmark.Options o = InfluenceBenchmark.Options.defaults(model, folder.resolve("influence"));
                InfluenceBenchmark.run(new InfluenceBenchmark.Options(o.model(), o.work(), o.seed(), o.device(),
                        o.planted(), o.facts(), o.ordinaryRows(), o.epochs(), o.lds(), o.ldsRows(), o.ldsTests(),
                        retrains, o.ldsEpochs(), o.lrMultiplier(), o.rank(), o.batch(), o.context(), o.k(),
                        o.dampings(), o.speed(), o.speedRows(), o.speedK(), o.queries(), o.topK()), System.out);
            }
            if (economy) {
                EconomyBenchmark.run(new EconomyBenchmark.Options(inferences, contributors, seed,
                        folder.resolve("economy")), System.out);
            }
        } finally {
            if (dir == null) {
                Folders.deleteQuietly(folder);
            }
        }
        return 0;
    }

}
