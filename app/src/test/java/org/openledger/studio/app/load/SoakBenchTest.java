package org.openledger.studio.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.InJvmCli;

/**
 * {@code studio bench serve --soak-minutes} end to end at a tiny size: a real tiered node (a child JVM serving the
 * bundled model), three streaming clients over ten adapters for ten seconds while an adapter is deleted and a new one
 * registered four times a second. Checks that the churn really happened under the traffic, that every answer was a
 * complete 200 or a clean 404 / 429 (no 5xx, nothing cut short), that the node ends with ten adapters on its disk
 * and serves none of the deleted ones, and that the report holds memory, threads, descriptors and tiers. No speed
 * is asserted.
 */
class SoakBenchTest {

    @Test
    void adaptersComeAndGoUnderTrafficWithoutAFailedAnswer(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path work = dir.resolve("work");
        InJvmCli.Run run = InJvmCli.run("bench", "serve", "--soak-minutes", "0.17", "--warmup-seconds", "2",
                "--clients", "3", "--adapters", "10", "--churn-per-minute", "240", "--max-tokens", "6", "--max-batch",
                "4", "--node-heap", "384m", "--adapter-host-bytes", "" + (64L << 20), "--settle-seconds", "20",
                "--device", "cpu", "--dir", work.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err() + "\n" + run.out());

        JsonNode j = Wire.mapper().readTree(out.resolve("bench-soak.json").toFile());
        JsonNode r = j.path("requests");
        int complete = r.path("complete_200").asInt();
        assertTrue(complete > 0, r.toString());
        // end of text is suppressed: every complete answer is max_tokens long
        assertEquals(6L * complete, r.path("tokens").asLong(), r.toString());
        for (String none : new String[]{"status_5xx", "node_5xx", "status_other_4xx", "incomplete", "io_errors"}) {
            assertEquals(0, r.path(none).asInt(), none + ": " + r);
        }
        assertTrue(r.path("latency_p50_ms").asDouble() > 0
                && r.path("latency_p50_ms").asDouble() <= r.path("latency_p99_ms").asDouble(), r.toString());

        JsonNode churn = j.path("churn");
        assertTrue(churn.path("deletions").asInt() >= 5, "the churn deleted adapters under the traffic: " + churn);
        // every deletion is followed by the registration of a new adapter into its place
        assertEquals(churn.path("deletions").asInt(), churn.path("registrations").asInt(), churn.toString());
        assertEquals(0, churn.path("failures").asInt(), run.out());
        assertEquals(0, churn.path("deleted_still_served").asInt(), run.out());

        // the node keeps ten adapters, listed and on its disk, and the deleted ones' files are gone
        assertEquals(10, j.path("listed_adapters").asInt(), j.toString());
        assertEquals(10, j.path("tiers").path("disk").path("adapters").asInt(), j.toString());
        try (Stream<Path> folders = Files.list(work.resolve("tiered/node/adapters"))) {
            assertEquals(10, folders.filter(p -> !p.getFileName().toString().startsWith(".")
                    && Files.isDirectory(p)).count());
        }
        int last = 10 + churn.path("registrations").asInt() - 1;
        assertTrue(Files.isDirectory(work.resolve("tiered/node/adapters").resolve(BenchAdapters.id(last))),
                "the last registered adapter is served");

        assertTrue(j.path("memory").path("samples").asInt() >= 2, j.path("memory").toString());
        assertTrue(j.path("memory").path("rss_first_quarter_bytes").asDouble() > 0, j.path("memory").toString());
        assertEquals(1, j.path("memory").path("rss_by_minute_bytes").size(), "a 10 s soak is in its first minute");
        assertTrue(j.path("threads").path("after").asInt() > 0 && j.path("open_fds").path("after").asInt() > 0,
                j.toString());
        assertTrue(j.path("passed").asBoolean(), j.path("problems").toString());
        String md = Files.readString(out.resolve("bench-soak.md"));
        assertTrue(md.contains("churn: ") && md.contains("node RSS under load") && md.contains("adapters at the end:")
                && md.endsWith("PASS" + System.lineSeparator()), md);
        assertTrue(run.out().contains(md), run.out());
    }

    @Test
    void badSoakOptionsAreRefusedBeforeAnythingStarts() {
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--soak-minutes", "0"), "--soak-minutes must be");
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--soak-minutes", "1", "--churn-per-minute", "-1"),
                "--churn-per-minute must be");
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--soak-minutes", "1", "--clients", "0"),
                "--clients must be between");
    }
}
