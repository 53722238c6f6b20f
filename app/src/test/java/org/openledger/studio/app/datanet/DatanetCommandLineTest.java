package org.openledger.studio.app.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.app.StudioProcess;

/** {@code studio datanet ...} as real child processes on real files, good and bad. */
class DatanetCommandLineTest {

    @TempDir
    Path dir;

    private StudioProcess.Result studio(String verb, String... args) throws Exception {
        return StudioProcess.datanet(dir, verb, args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    static final String LONG = "Rivers carry sediment from the mountains to the sea, and the deltas they build shift "
            + "with every flood season as channels fill and new ones open across the plain";

    @Test
    void createAddCheckListRowsAndBadInput() throws Exception {
        Path jsonl = write("data.jsonl", String.join("\n",
                "{\"text\": \"" + LONG + "\"}",
                "{not json",
                "{\"text\": \"" + LONG + "\"}",
                "{\"text\": \"" + LONG.replace("every flood", "each flood") + "\"}",
                "{\"text\": \"Write to carol.smith@example.org about the quarterly delta survey results please\"}",
                "{\"other\": 1}") + "\n");
        Path binary = dir.resolve("photo.txt");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'});
        Path pdf = write("broken.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage");

        // dry run: one JSON object with rows (id, source), duplicate groups and findings; bad lines by number
        StudioProcess.Result dry = studio("check", "--json", jsonl.toString());
        assertEquals(0, dry.code(), dry.err());
        JsonNode report = new ObjectMapper().readTree(dry.out());
        assertEquals(4, report.get("rows").size());
        assertEquals("data.jsonl:1", report.get("rows").get(0).get("source").asText());
        assertEquals(1, report.get("rows").get(0).get("id").asLong());
        List<String> kinds = new ArrayList<>();
        for (JsonNode g : report.get("duplicate_groups")) {
            kinds.add(g.get("kind").asText() + g.get("rows"));
            assertTrue(g.get("estimated_similarity").asDouble() >= 0.8, g.toString());
        }
        assertTrue(kinds.contains("exact[1,2]") || kinds.stream().anyMatch(k -> k.startsWith("exact")), kinds.toString());
        assertTrue(kinds.stream().anyMatch(k -> k.startsWith("near")), kinds.toString());
        assertEquals("email", report.get("findings").get(0).get("kind").asText());
        assertEquals(4, report.get("findings").get(0).get("row").asLong());
        List<Long> skipped = new ArrayList<>();
        report.get("skipped_lines").forEach(l -> skipped.add(l.get("line").asLong()));
        assertEquals(List.of(2L, 6L), skipped);

        // a binary file named .txt: one stderr line naming it, exit 1, nothing on stdout
        StudioProcess.Result bin = studio("check", "--json", binary.toString());
        assertEquals(1, bin.code());
        assertEquals(1, bin.errLines().size(), bin.err());
        assertTrue(bin.errLines().get(0).contains("photo.txt"), bin.err());
        assertTrue(bin.out().isBlank());

        assertEquals(0, studio("create", "Rivers", "--summary", "River facts", "--tag", "geo").code());
        StudioProcess.Result dup = studio("create", "Rivers");
        assertEquals(1, dup.code());
        assertTrue(dup.errLines().get(0).contains("already exists"), dup.err());

        // add: the good file kept, the broken PDF is one stderr line and exit 1 (its batch stays open for a retry)
        assertEquals(0, studio("create", "Scratch").code());
        StudioProcess.Result broken = studio("add", "--datanet", "Scratch", write("ok.md", LONG).toString(),
                pdf.toString());
        assertEquals(1, broken.code(), broken.out() + broken.err());
        assertEquals(1, broken.errLines().size(), broken.err());
        assertTrue(broken.errLines().get(0).contains("broken.pdf"), broken.err());
        assertTrue(broken.out().contains("ok.md: 1 rows"), broken.out());

        StudioProcess.Result add = studio("add", "--datanet", "Rivers", jsonl.toString());
        assertEquals(0, add.code(), add.out() + add.err());
        assertTrue(add.out().contains("skipped data.jsonl:2"), add.out());

        // check against the workspace: the same rows again are duplicates of the workspace's rows
        Path again = write("again.jsonl", "{\"text\": \"" + LONG + "\"}\n");
        StudioProcess.Result ws = studio("check", "--datanet", "Rivers", "--json", "--threshold", "0.7", again.toString());
        assertEquals(0, ws.code(), ws.err());
        JsonNode wsReport = new ObjectMapper().readTree(ws.out());
        assertEquals(0.7, wsReport.get("summary").get("threshold").asDouble());
        assertEquals(1, wsReport.get("rows").size(), ws.out());
        JsonNode group = wsReport.get("duplicate_groups").get(0);
        assertEquals("exact", group.get("kind").asText());
        assertEquals(2, group.get("workspace_rows").size(), ws.out());

        StudioProcess.Result list = studio("list", "--json");
        JsonNode rivers = new ObjectMapper().readTree(list.out()).get("datanets").get(0); // sorted by name
        assertEquals("Rivers", rivers.get("name").asText());
        assertEquals(5, rivers.get("rows").asLong()); // 4 of data.jsonl, 1 of again.jsonl (a new source)

        StudioProcess.Result found = studio("rows", "--datanet", "Rivers", "--search", "quarterly", "--json");
        JsonNode rows = new ObjectMapper().readTree(found.out()).get("rows");
        assertEquals(1, rows.size(), found.out());
        assertEquals(List.of("email"), List.of(rows.get(0).get("findings").get(0).asText()));
        long emailRow = rows.get(0).get("id").asLong();
        assertEquals(0, studio("rows", "--datanet", "Rivers", "--reject", Long.toString(emailRow)).code());
        JsonNode rejected = new ObjectMapper().readTree(studio("rows", "--datanet", "Rivers", "--status", "rejected",
                "--json").out()).get("rows");
        assertEquals(emailRow, rejected.get(0).get("id").asLong());

        StudioProcess.Result missing = studio("rows", "--datanet", "Lakes");
        assertEquals(1, missing.code());
        assertTrue(missing.errLines().get(0).contains("No Datanet named \"Lakes\""), missing.err());
    }
}
