package org.openledger.studio.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.app.InJvmCli;

/**
 * A short {@code studio bench load} against a real node (a child JVM serving the bundled model): every kind of
 * request at once with a slow reader and clients that leave mid-answer. No 5xx, no request without an answer, no
 * thread or descriptor leak, the leavers' rows cancelled, and the slow reader holds neither a row nor a worker.
 */
class LoadBenchTest {

    @Test
    void eightClientsForAFewSecondsLeaveTheNodeAsTheyFoundIt(@TempDir Path dir) throws Exception {
        LoadRun.Settings s = new LoadRun.Settings(8, Duration.ofSeconds(14), Duration.ofSeconds(4), 12,
                Duration.ofSeconds(15), 16, 32, 0.15, 64L << 20, "512m");
        LoadReport report = new LoadRun(s).runOnOwnNode(dir);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);

        assertEquals(java.util.List.of(), report.failures(), printed);
        assertEquals(0, report.fiveXxByNode(), printed);
        Map<Kind, Integer> counts = report.kinds().stream().collect(Collectors.toMap(Tally.KindSummary::kind,
                Tally.KindSummary::count));
        for (Kind k : new Kind[]{Kind.COMPLETION, Kind.CHAT_STREAM, Kind.MODELS, Kind.HEALTH, Kind.ATTRIBUTION,
                Kind.FINETUNE_CREATE, Kind.UPLOAD, Kind.UNSTREAMED_DROPPED}) {
            assertTrue(counts.getOrDefault(k, 0) > 0, k + " ran: " + printed);
        }
        assertTrue(report.threadsGrown() <= s.threadTolerance(), printed);
        assertTrue(report.fdsGrown() <= s.fdTolerance(), printed);
        assertEquals(0.0, report.after().get("studio_inference_active_rows"), printed);
        // the clients that left were seen to leave, and their rows cancelled, not generated
        assertTrue(report.after().requests(st -> st == 499) > 0, printed);
        assertTrue(report.after().get("studio_inference_cancelled_rows_total") > 0, printed);
        // with the other clients gone, the slow reader's answer holds no worker (only the scrape itself is in
        // flight) and no row
        assertEquals(1.0, report.withSlowReader().get("studio_http_requests_in_flight"), printed);
        assertEquals(0.0, report.withSlowReader().get("studio_inference_active_rows"), printed);
        assertTrue(printed.contains("RSS under load"), printed);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() {
        InJvmCli.Run zero = InJvmCli.run("bench", "load", "--clients", "0");
        assertEquals(1, zero.code(), zero.err());
        assertTrue(zero.err().contains("--clients must be between 1 and 1024"), zero.err());
        InJvmCli.Run both = InJvmCli.run("bench", "load", "--minutes", "1", "--seconds", "30");
        assertTrue(both.code() != 0 && both.err().contains("--minutes or --seconds"), both.err());
        InJvmCli.Run half = InJvmCli.run("bench", "load", "--node", "http://127.0.0.1:9");
        assertTrue(half.code() != 0 && half.err().contains("--node and --token go together"), half.err());
    }
}
