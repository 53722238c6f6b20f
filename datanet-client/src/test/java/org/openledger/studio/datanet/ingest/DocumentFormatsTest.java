package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentFormatsTest {

    @TempDir
    Path dir;

    private final Ingest ingest = new Ingest();
    private final List<IngestedRow> rows = new ArrayList<>();

    private Path pdf(String name, String... pages) throws IOException {
        Path f = dir.resolve(name);
        try (PDDocument doc = new PDDocument()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
            }
            doc.save(f.toFile());
        }
        return f;
    }

    private Path docx(String name, String... paragraphs) throws IOException {
        Path f = dir.resolve(name);
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(f)) {
            for (String p : paragraphs) {
                doc.createParagraph().createRun().setText(p);
            }
            doc.write(out);
        }
        return f;
    }

    @Test
    void pdfPagesBecomeRowsThatNameTheirPage() throws IOException {
        Path f = pdf("paper.pdf", "Attribution pays contributors.", "Second page text about datanets.");
        IngestSummary s = ingest.read(f, "me", rows::add, ProgressListener.NONE);
        assertEquals(1, s.rows());
        assertEquals("Attribution pays contributors.\n\nSecond page text about datanets.", rows.get(0).text());
        assertEquals("paper.pdf#page=1@0", rows.get(0).provenance().source());

        Ingest small = new Ingest(new ChunkSettings(8, 0), CsvMapping.auto(), TokenCounter.WORDS);
        rows.clear();
        small.read(f, "me", rows::add, ProgressListener.NONE);
        assertEquals(2, rows.get(rows.size() - 1).provenance().page());
    }

    @Test
    void brokenPdfsAreRefusedClearly() throws IOException {
        Path garbage = dir.resolve("garbage.pdf");
        Files.writeString(garbage, "this is not a pdf at all");
        IngestException e = assertThrows(IngestException.class,
                () -> ingest.read(garbage, "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("not a readable PDF"), e.getMessage());

        byte[] whole = Files.readAllBytes(pdf("whole.pdf", "some text"));
        Path truncated = dir.resolve("truncated.pdf");
        Files.write(truncated, Arrays.copyOf(whole, 200));
        e = assertThrows(IngestException.class, () -> ingest.read(truncated, "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("truncated.pdf"), e.getMessage());
    }

    @Test
    void docxParagraphsBecomeRows() throws IOException {
        Path f = docx("memo.docx", "First paragraph of the memo.", "", "Second paragraph.");
        IngestSummary s = ingest.read(f, "me", rows::add, ProgressListener.NONE);
        assertEquals(1, s.rows());
        assertEquals("First paragraph of the memo.\n\nSecond paragraph.", rows.get(0).text());
        assertEquals("memo.docx@0", rows.get(0).provenance().source());
    }

    @Test
    void brokenDocxFilesAreRefusedClearly() throws IOException {
        Path text = dir.resolve("fake.docx");
        Files.writeString(text, "plain text pretending to be Word");
        IngestException e = assertThrows(IngestException.class,
                () -> ingest.read(text, "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("not a Word document"), e.getMessage());

        byte[] whole = Files.readAllBytes(docx("whole.docx", "text"));
        Path truncated = dir.resolve("cut.docx");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(IngestException.class, () -> ingest.read(truncated, "me", rows::add, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("cut.docx"), e.getMessage());
    }
}
