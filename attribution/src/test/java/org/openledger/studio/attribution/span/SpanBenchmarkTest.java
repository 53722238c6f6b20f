package org.openledger.studio.attribution.span;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aSmallRunReportsEverySectionAndCleansUp() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SpanBenchmark.run(new SpanBenchmark.Options(200_000, 50_257, 10, 256, 1, dir),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("SA-IS (this package"), report);
        // Either the baseline ran and agreed with SA-IS, or the report says plainly why it did not run.
        assertTrue(report.contains("suffix arrays identical: yes") || report.contains("libdivsufsort not run"), report);
        Matcher perToken = Pattern.compile("= (\\d+\\.\\d+) bytes/token").matcher(report);
        assertTrue(perToken.find(), report);
        assertTrue(Double.parseDouble(perToken.group(1)) <= 9.0, report);
        assertTrue(report.contains("p50") && report.contains("p99"), report);
        Matcher spans = Pattern.compile("spans found: (\\d+) \\((\\d+) in the answers with pasted").matcher(report);
        assertTrue(spans.find() && Integer.parseInt(spans.group(2)) >= 5, report);
        try (var left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty(), "the benchmark removes what it wrote");
        }
    }
}
