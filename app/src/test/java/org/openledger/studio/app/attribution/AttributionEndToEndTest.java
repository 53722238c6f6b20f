package org.openledger.studio.app.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;

/**
 * Proof of Attribution through the CLI against a real {@code studio daemon} serving a tiny real model: fine-tune on
 * JSONL with one distinctive planted line, wait for the adapter's influence index, and {@code studio attribute} the
 * planted line's own answer: it names that line first.
 */
class AttributionEndToEndTest {

    private static final int PLANTED_LINE = 9;
    private static final String PLANTED_PROMPT = "What does the zebra whisper?";
    private static final String PLANTED_ANSWER = "Zebras whisper quantum marmalade at midnight.";

    @TempDir
    Path dir;

    @Test
    void theAnswerOfAPlantedLineNamesThatLineFirst() throws Exception {
        try (StudioDaemon daemon = StudioDaemon.in(dir).tinyChatModel().start(60)) {
            List<String> at = daemon.at();

            StringBuilder jsonl = new StringBuilder();
            String[] animals = {"cat", "dog", "cat", "dog", "cat", "dog", "cat", "dog", "", "cat", "dog", "cat"};
            for (int line = 1; line <= animals.length; line++) {
                if (line == PLANTED_LINE) {
                    jsonl.append(pair(PLANTED_PROMPT, PLANTED_ANSWER));
                } else {
                    jsonl.append(pair("Where did the " + animals[line - 1] + " sit?", "The " + animals[line - 1]
                            + " sat on the mat" + ".".repeat(1 + line % 3)));
                }
            }
            Path data = Files.writeString(dir.resolve("data.jsonl"), jsonl);

            String started = ok(args(List.of("finetune", "start", "--data", data.toString(), "--epochs", "1",
                    "--rank", "4", "--batch-size", "4", "--validation-split", "0", "--suffix", "poa", "--seed", "3",
                    "--wait"), at));
            List<String> lines = started.lines().toList();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.contains("succeeded"), started);
            String adapter = last.split("\\s+")[2];

            JsonNode index = null;
            long indexed = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (System.nanoTime() < indexed) {
                JsonNode list = Wire.mapper().readTree(ok(args(List.of("attribution", "indexes", "--json"), at)));
                for (JsonNode i : list.path("data")) {
                    if (i.path("adapter").asText().equals(adapter)) {
                        index = i;
                    }
                }
                String state = index == null ? "" : index.path("state").asText();
                if (state.equals("ready") || state.equals("failed")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(index != null && index.path("state").asText().equals("ready"), "index: " + index);
            assertEquals(animals.length, index.path("rows").asInt(), "every training line is a row");
            String table = ok(args(List.of("attribution", "indexes"), at));
            assertTrue(table.lines().anyMatch(l -> l.matches("\\s*" + java.util.regex.Pattern.quote(adapter)
                    + "\\s+ready\\s+" + animals.length + "\\s+" + animals.length + "\\s+.*")), table);

            Path chat = Files.writeString(dir.resolve("chat.json"), Wire.mapper().writeValueAsString(List.of(
                    java.util.Map.of("role", "user", "content", PLANTED_PROMPT))));
            JsonNode record = Wire.mapper().readTree(ok(args(List.of("attribute", "--model", adapter, "--messages",
                    chat.toString(), "--completion", PLANTED_ANSWER, "--top", "5", "--json"), at)));
            assertEquals("done", record.path("state").asText(), record.toPrettyString());
            assertEquals(5, record.path("influence").size(), record.toPrettyString());
            assertEquals("line:" + PLANTED_LINE, record.path("influence").get(0).path("source").asText(),
                    "the planted line is the most influential row: " + record.toPrettyString());
            assertTrue(record.path("influence").get(0).path("text").asText().contains(PLANTED_ANSWER));
            boolean spanFromPlanted = false;
            for (JsonNode span : record.path("spans")) {
                spanFromPlanted |= span.path("sources").path(0).path("source").asText().equals("line:" + PLANTED_LINE);
            }
            assertTrue(spanFromPlanted, "a verbatim span of the answer comes from the planted line: "
                    + record.path("spans").toPrettyString());

            String id = record.path("id").asText();
            String report = ok(args(List.of("attribution", "show", id), at));
            assertTrue(report.startsWith("Attribution " + id + "\n"), report);
            assertTrue(report.contains("state     done"), report);
            assertTrue(report.lines().anyMatch(l -> l.matches("\\s+1\\s+\\S+\\s+\\S+%\\s+line:" + PLANTED_LINE
                    + "\\s.*")), "rank 1 is the planted line:\n" + report);
            assertTrue(report.lines().anyMatch(l -> l.matches("\\s+\\d+-\\d+\\s+\\d+\\s+.*\\sline:" + PLANTED_LINE)),
                    "a span row ends with its first source, the planted line:\n" + report);

            String rebuilt = ok(args(List.of("attribution", "index", "--model", adapter), at));
            assertTrue(rebuilt.startsWith("Influence index of " + adapter + ": "), rebuilt);

            oneLineError(run(args(List.of("attribution", "show", "attr-nope"), at)), "404");
            oneLineError(run(args(List.of("attribute", "--model", "nope", "--prompt", "Hi", "--completion", "Yo"),
                    at)), "No adapter 'nope' on this node");
            oneLineError(run(args(List.of("attribution", "index", "--model", "nope"), at)), "No adapter 'nope'");
        }
    }

    private static String pair(String prompt, String response) throws Exception {
        return Wire.mapper().writeValueAsString(java.util.Map.of("prompt", prompt, "response", response)) + "\n";
    }

    private static void oneLineError(Run r, String mentions) {
        InJvmCli.assertOneLineError(r, mentions);
        assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
    }
}
