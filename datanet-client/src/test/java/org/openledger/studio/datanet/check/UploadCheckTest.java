package org.openledger.studio.datanet.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.IngestedRow;
import org.openledger.studio.datanet.ingest.Provenance;

class UploadCheckTest {

    private static IngestedRow row(int line, String text) {
        return new IngestedRow(text, new Provenance("data.jsonl", line, 0, 0, "0xabc"));
    }

    @Test
    void theReportGroupsDuplicatesAndListsFindingsInTheDocumentedJsonShape() throws Exception {
        String base = "Proof of attribution measures how much each contributed row shaped the answer of a model, "
                + "and pays its contributor a share of the inference fee in proportion to that influence over time";
        List<IngestedRow> rows = List.of(
                row(1, base),
                row(2, "A completely different sentence about rivers, stones and the light of the morning sun."),
                row(3, base),
                row(4, base.replace("each contributed row", "every contributed row")),
                row(5, "Contact me at carol@example.org for the full data set of river measurements."));

        CheckReport report = new UploadCheck(NearDuplicateSettings.DEFAULT, QualitySettings.DEFAULT).check(rows);
        JsonNode json = new ObjectMapper().readTree(report.toJson());

        assertEquals(5, json.get("rows").size());
        assertEquals(1, json.get("rows").get(0).get("id").asLong());
        assertEquals("data.jsonl:1", json.get("rows").get(0).get("source").asText());
        JsonNode groups = json.get("duplicate_groups");
        assertEquals(2, groups.size(), report.toJson());
        assertEquals("exact", groups.get(0).get("kind").asText());
        assertEquals("[1,3]", groups.get(0).get("rows").toString());
        assertEquals(1.0, groups.get(0).get("similarity").asDouble());
        assertEquals("near", groups.get(1).get("kind").asText());
        assertEquals("[1,4]", groups.get(1).get("rows").toString());
        double j = groups.get(1).get("similarity").asDouble();
        assertTrue(j >= 0.8 && j < 1.0, "near similarity " + j);
        assertTrue(groups.get(1).has("estimated_similarity"));
        JsonNode findings = json.get("findings");
        assertEquals(1, findings.size());
        assertEquals(5, findings.get(0).get("row").asLong());
        assertEquals("email", findings.get(0).get("kind").asText());
        assertEquals("personal_data", findings.get(0).get("category").asText());
        assertTrue(findings.get(0).get("blocking").asBoolean());
        assertTrue(json.get("rows").get(4).get("blocked").asBoolean());
        assertEquals(2, json.get("summary").get("redundant_rows").asInt(), "row 3 (copy) and row 4 (near copy)");
        assertTrue(report.blocksUpload());
    }

    @Test
    void aDryRunOverFilesListsTheLinesItSkipped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mixed.jsonl");
        Files.writeString(f, "{\"text\": \"a good row with a handful of words in it\"}\n{oops\n");
        CheckReport report = new UploadCheck(NearDuplicateSettings.DEFAULT, QualitySettings.DEFAULT)
                .checkFiles(List.of(f), "0xabc", new Ingest());
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(1, json.get("rows").size());
        assertEquals("mixed.jsonl", json.get("skipped_lines").get(0).get("file").asText());
        assertEquals(2, json.get("skipped_lines").get(0).get("line").asInt());
    }
}
