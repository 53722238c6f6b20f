package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFormatsTest {

    @TempDir
    Path dir;

    private final Ingest ingest = new Ingest(new ChunkSettings(30, 4), CsvMapping.auto(), TokenCounter.WORDS);
    private final List<IngestedRow> rows = new ArrayList<>();

    private IngestSummary read(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return ingest.read(f, "0xabc", rows::add, ProgressListener.NONE);
    }

    private IngestSummary read(String name, String content) throws IOException {
        return read(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textParagraphsBecomeRowsWithFileLineSources() throws IOException {
        IngestSummary s = read("notes.md", "# Title\n\nFirst paragraph\ncontinues here.\n\n\nSecond   paragraph.\n");
        assertEquals(1, s.rows());
        assertEquals("# Title\n\nFirst paragraph\ncontinues here.\n\nSecond paragraph.", rows.get(0).text());
        assertEquals("notes.md:1", rows.get(0).provenance().source());
        assertEquals("0xabc", rows.get(0).provenance().contributor());
    }

    @Test
    void rowsOfALongTextStartAtTheirOwnLines() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < 10; p++) {
            b.append("paragraph ").append(p).append(" has exactly eight words in it\n\n");
        }
        read("long.txt", b.toString());
        assertTrue(rows.size() > 1);
        for (IngestedRow r : rows) {
            long line = r.provenance().line();
            assertTrue(r.text().startsWith("paragraph " + (line - 1) / 2) || r.text().contains("in it"),
                    r.provenance().source() + " -> " + r.text());
        }
    }

    @Test
    void aBinaryFileNamedTxtIsRefusedAsBinary() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        IngestException e = assertThrows(IngestException.class, () -> read("image.txt", png));
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedWithItsLine() throws IOException {
        byte[] latin1 = "ok line\nca\u00e9 in latin-1\n".getBytes(StandardCharsets.ISO_8859_1);
        IngestException e = assertThrows(IngestException.class, () -> read("latin.txt", latin1));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("invalid UTF-8"), e.getMessage());
    }

    @Test
    void jsonlKeepsGoodLinesAndReportsBadOnesByNumber() throws IOException {
        byte[] bad = "{\"text\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        String content = "{\"text\": \"plain row\"}\n"
                + "{not json\n"
                + "\n"
                + "{\"instruction\": \"Add 2 and 2\", \"response\": \"4\"}\n"
                + "{\"instruction\": \"no answer\"}\n"
                + "\"a bare string row\"\n"
                + "[1, 2]\n"
                + new String(bad, StandardCharsets.ISO_8859_1) + "\n"
                + "{\"text\": 5}\n";
        byte[] bytes = content.replace(new String(bad, StandardCharsets.ISO_8859_1), "@@").getBytes(StandardCharsets.UTF_8);
        // splice the latin-1 bytes in as line 8
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("@@");
        byte[] a = parts[0].getBytes(StandardCharsets.UTF_8);
        byte[] c = parts[1].getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + bad.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(bad, 0, all, a.length, bad.length);
        System.arraycopy(c, 0, all, a.length + bad.length, c.length);

        IngestSummary s = read("data.jsonl", all);

        assertEquals(3, s.rows());
        assertEquals(List.of("data.jsonl:1", "data.jsonl:4", "data.jsonl:6"),
                rows.stream().map(r -> r.provenance().source()).toList());
        assertEquals("### Instruction:\nAdd 2 and 2\n\n### Response:\n4", rows.get(1).text());
        assertEquals(List.of(2L, 5L, 7L, 8L, 9L), s.problems().stream().map(LineProblem::line).toList());
        assertTrue(s.problems().get(0).reason().contains("not valid JSON"));
        assertTrue(s.problems().get(1).reason().contains("no response"));
        assertTrue(s.problems().get(3).reason().contains("invalid UTF-8"));
        assertTrue(s.problems().get(4).reason().contains("must be a string"));
    }

    @Test
    void csvRecordsMayHoldQuotedLineBreaksAndBadRecordsAreReported() throws IOException {
        String csv = "id,text,lang\n"
                + "1,\"first, with comma\",en\n"
                + "2,\"spans\ntwo lines with \"\"quotes\"\"\",en\n"
                + "3,too,many,fields\n"
                + "4,last row,en\n";
        IngestSummary s = read("table.csv", csv);
        assertEquals(3, s.rows());
        assertEquals("first, with comma", rows.get(0).text());
        assertEquals("spans\ntwo lines with \"quotes\"", rows.get(1).text());
        assertEquals(List.of("table.csv:2", "table.csv:3", "table.csv:6"),
                rows.stream().map(r -> r.provenance().source()).toList());
        assertEquals(1, s.problems().size());
        assertEquals(5, s.problems().get(0).line());
    }

    @Test
    void csvColumnMappingBuildsInstructionRows() throws IOException {
        Ingest mapped = new Ingest(ChunkSettings.DEFAULT, CsvMapping.instruction("Q", "A").withDelimiter(';'),
                TokenCounter.WORDS);
        Path f = dir.resolve("qa.csv");
        Files.writeString(f, "q;a\nWhat is 2+2?;4\n");
        mapped.read(f, "me", rows::add, ProgressListener.NONE);
        assertEquals("### Instruction:\nWhat is 2+2?\n\n### Response:\n4", rows.get(0).text());

        Path other = dir.resolve("wide.csv");
        Files.writeString(other, "a,b\n1,2\n");
        IngestException e = assertThrows(IngestException.class,
                () -> new Ingest().read(other, "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("choose the column"), e.getMessage());
    }

    @Test
    void unsupportedTypesAreNamed() {
        IngestException e = assertThrows(IngestException.class,
                () -> ingest.read(dir.resolve("x.exe"), "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("unsupported") && e.getMessage().contains(".docx"));
    }
}
