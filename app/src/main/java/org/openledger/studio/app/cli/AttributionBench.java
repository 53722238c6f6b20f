package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.attribution.span.SpanBenchmark;
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
        if (!spans) {
            throw new UserError("name what to measure: --spans");
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
            SpanBenchmark.run(new SpanBenchmark.Options(tokens, vocab, queries, answerTokens, seed, folder), System.out);
        } finally {
            if (dir == null) {
                deleteTree(folder);
            }
        }
        return 0;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
