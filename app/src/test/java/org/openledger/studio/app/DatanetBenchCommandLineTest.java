package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code studio bench datanet} as a user runs it, at settings small enough for a test: every figure, or one line. */
class DatanetBenchCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void printsEveryFigureWithRatiosAndPrecisionRecall() throws Exception {
        Path data = dir.resolve("bench");
        Process p = StudioProcess.builder(dir, List.of("-Dstudio.log.level=WARN", "-Xmx512m"), "bench", "datanet",
                        "--rows", "2000", "--pairs", "400", "--dir", data.toString(), "--threshold", "0.8")
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("studio bench datanet did not finish");
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + err);

        assertTrue(out.startsWith("rows: 2,000 synthetic JSONL rows"), out);
        assertTrue(number(out, "input: ([0-9.]+) MB") > 0, out);
        for (String stage : List.of("baseline: read + parse JSONL", "ingest + check", "workspace insert",
                "batch check")) {
            String row = out.lines().filter(l -> l.startsWith("| " + stage)).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + stage + ":\n" + out));
            String[] cells = row.substring(1, row.length() - 1).split("\\|");
            assertEquals(6, cells.length, row);
            assertEquals(2000, cell(cells[1]), 0, row);
            for (int c = 2; c < 6; c++) { // seconds, CPU seconds, rows/s, ratio to the baseline
                assertTrue(cell(cells[c]) > 0, "column " + c + " of " + row);
            }
            if (stage.startsWith("baseline")) {
                assertEquals(1.0, cell(cells[5]), 1e-9, row);
            }
        }
        assertTrue(number(out, "peak heap: ([0-9.]+) MiB") > 0, out);
        assertTrue(number(out, "peak RSS: ([0-9.]+) MiB \\(VmHWM\\)") > 0, out);
        assertTrue(number(out, "database ([0-9.]+) MB") > 0, out);
        assertTrue(number(out, "([0-9,]+) true pairs") > 50, out);
        for (String detector : List.of("MinHash/LSH + exact Jaccard verification", "MinHash/LSH, MinHash estimate alone")) {
            String row = out.lines().filter(l -> l.startsWith("| " + detector + " |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + detector + ":\n" + out));
            String[] cells = row.substring(1, row.length() - 1).split("\\|");
            assertTrue(cell(cells[1]) > 0 && cell(cells[2]) > 0, row);
            if (detector.contains("verification")) {
                assertTrue(cell(cells[1]) >= 0.95, "precision: " + row);
                assertTrue(cell(cells[2]) >= 0.95, "recall: " + row);
            }
        }
        assertTrue(Files.isRegularFile(data.resolve("rows.jsonl")) && Files.isRegularFile(data.resolve("workspace.db")),
                "a given --dir is kept");
    }

    @Test
    void badOptionsFailInOneLine() throws Exception {
        for (String[] args : List.of(new String[] {"--rows", "0"}, new String[] {"--threshold", "1.5"},
                new String[] {"--pairs", "-3"}, new String[] {"--rows", "many"})) {
            String[] cmd = new String[args.length + 2];
            cmd[0] = "bench";
            cmd[1] = "datanet";
            System.arraycopy(args, 0, cmd, 2, args.length);
            StudioProcess.Result r = StudioProcess.run(dir, cmd);
            assertFalse(r.code() == 0, String.join(" ", args) + ": " + r.out() + r.err());
            if (!args[1].equals("many")) { // a value picocli cannot convert is picocli's usage error (exit 2)
                assertEquals(1, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
                assertEquals(1, r.errLines().size(), r.err());
                assertTrue(r.err().startsWith("studio bench datanet: "), r.err());
            }
            assertTrue(r.out().isEmpty(), r.out());
        }
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " in:\n" + out);
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    private static double cell(String cell) {
        return Double.parseDouble(cell.trim().replace(",", ""));
    }
}
