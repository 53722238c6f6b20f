package org.openledger.studio.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.InJvmCli;

/**
 * {@code studio bench serve} end to end at a tiny size: two real nodes (child JVMs serving the bundled model), three
 * clients, 1 and 3 adapters registered through the API, two seconds a point. Checks the shape and sanity of what it
 * measured and wrote: every point measured with answers, no 5xx, no refusal but 429, tokens as asked, positive
 * ratios, tier memory and cold loads reported. No speed is asserted (that is the benchmark's job, not a test's).
 */
class ServeBenchTest {

    @Test
    void aTinyRunMeasuresEveryPointAndWritesItsTables(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        InJvmCli.Run run = InJvmCli.run("bench", "serve", "--clients", "3", "--adapters", "1,3", "--seconds", "2",
                "--warmup-seconds", "1", "--max-tokens", "6", "--max-batch", "4", "--node-heap", "384m",
                "--adapter-host-bytes", "" + (64L << 20), "--copy-mib", "16", "--device", "cpu", "--dir",
                dir.resolve("work").toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err() + "\n" + run.out());

        JsonNode j = Wire.mapper().readTree(out.resolve("bench-serve.json").toFile());
        List<String> seen = new ArrayList<>();
        for (JsonNode p : j.path("points")) {
            String what = p.path("server").asText() + "/" + p.path("adapters").asInt();
            seen.add(what);
            assertTrue(p.path("requests").asInt() > 0, what + " answered requests: " + p);
            // end of text is suppressed, so every answer is max_tokens long
            assertEquals(6L * p.path("requests").asInt(), p.path("tokens").asLong(), what);
            assertTrue(p.path("tokens_per_second").asDouble() > 0, what);
            assertEquals(0, p.path("status_5xx").asInt(), what + ": " + p.path("first_failure"));
            assertEquals(0, p.path("status_other_4xx").asInt(), what + ": " + p.path("first_failure"));
            assertEquals(0, p.path("status_404").asInt(), what + ": " + p.path("first_failure"));
            assertEquals(0, p.path("incomplete").asInt(), what + ": " + p.path("first_failure"));
            assertEquals(0, p.path("io_errors").asInt(), what + ": " + p.path("first_failure"));
            double p50 = p.path("ttft_p50_ms").asDouble();
            assertTrue(p50 > 0 && p50 <= p.path("ttft_p99_ms").asDouble(), what + " TTFT p50 <= p99");
            assertTrue(p.path("decode_tokens_per_second_per_client_p50").asDouble() > 0, what);
            if (!p.path("server").asText().equals("base")) {
                int k = p.path("adapters").asInt();
                JsonNode disk = p.path("tiers").path("disk");
                assertEquals(k, disk.path("adapters").asInt(), what + " adapters on disk");
                assertTrue(disk.path("bytes_per_adapter").asLong() > 0, what);
                assertTrue(p.path("tiers").path("device").path("adapters").asInt() >= 1, what + " one on the device");
                assertTrue(p.path("cold_loads").asInt() >= 1, what + " cold loads timed");
                assertTrue(p.path("cold_load_p50_ms").asDouble() > 0, what);
            }
        }
        assertEquals(List.of("base/1", "tiered/1", "naive/1", "base/3", "tiered/3", "naive/3"), seen);
        // the naive node keeps at most the adapter it loaded last in host memory; the tiered one keeps all three
        JsonNode tiered = j.path("points").get(4);
        assertEquals(3, tiered.path("tiers").path("host").path("adapters").asInt(), tiered.toString());
        JsonNode naive = j.path("points").get(5);
        assertTrue(naive.path("tiers").path("host").path("adapters").asInt() <= 1, naive.toString());
        assertEquals(2, j.path("rows").size());
        for (JsonNode r : j.path("rows")) {
            assertTrue(r.path("vs_base").asDouble() > 0 && r.path("vs_naive").asDouble() > 0, r.toString());
        }
        JsonNode decode = j.path("batch1_decode");
        assertTrue(decode.path("tokens_per_second").asDouble() > 0 && decode.path("ratio").asDouble() > 0, decode.toString());
        assertTrue(decode.path("node_tokens_per_second").asDouble() > 0 && decode.path("node_ratio").asDouble() > 0,
                decode.toString());
        assertEquals(1_016_960L * 4, decode.path("weight_bytes").asLong(), "the bundled model's float32 weights");

        String md = Files.readString(out.resolve("bench-serve.md"));
        assertTrue(md.contains("\n| 1 | ") && md.contains("\n| 3 | ") && md.contains("batch-1 decode")
                && md.contains("aims (issue 12)"), md);
        assertTrue(run.out().contains(md), run.out());
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() {
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--clients", "0"), "--clients must be between");
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--adapters", "8,8"), "--adapters must be distinct");
        InJvmCli.assertOneLineError(InJvmCli.run("bench", "serve", "--zipf", "-1"), "--zipf must be");
    }

    @Test
    void zipfTrafficIsSkewedAsAskedAndTheSameForTheSameSeed() {
        ZipfTraffic z = new ZipfTraffic(1000, 1.0);
        // H(1000) = 7.4855: adapter 0 takes 1 / H of the traffic, adapter 9 a tenth of that
        assertEquals(1 / 7.4855, z.probability(0), 1e-4);
        assertEquals(z.probability(0) / 10, z.probability(9), 1e-9);
        int[] counts = new int[1000];
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            int x = z.next(a);
            assertEquals(x, z.next(b));
            counts[x]++;
        }
        assertEquals(100_000 / 7.4855, counts[0], 600);
        assertEquals(100_000 / 7.4855 / 2, counts[1], 400);
        ZipfTraffic uniform = new ZipfTraffic(4, 0.0);
        assertEquals(0.25, uniform.probability(3), 1e-12);
    }
}
