package org.openledger.studio.datanet.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.IngestException;
import org.openledger.studio.fuzz.Campaign;
import org.openledger.studio.fuzz.FuzzTarget;
import org.openledger.studio.fuzz.FuzzTarget.Format;
import org.openledger.studio.fuzz.Mutator;

/**
 * Fuzzing of the Datanet ingest: JSON lines, CSV, PDF and DOCX files as a contributor uploads them. The oracle: rows
 * or an {@link IngestException}, nothing else (decision 0022).
 */
class IngestFuzzTest {

    static final Path REGRESSIONS = Path.of("src/test/resources/fuzz");

    @TempDir
    static Path dir;

    private static final Ingest INGEST = new Ingest();

    private static void check(FuzzTarget target) throws IOException {
        Campaign.Report report = Campaign.fromSystemProperties().run(target, REGRESSIONS);
        assertTrue(report.findings().isEmpty(), () -> report + ": " + report.findings());
    }

    private static FuzzTarget ingest(String name, String extension, Format format, List<byte[]> seeds) {
        Path file = dir.resolve("fuzz-" + name + "." + extension);
        return FuzzTarget.of(name, format, seeds, input -> {
            Files.write(file, input);
            INGEST.read(file, "0x0000000000000000000000000000000000000001", row -> row.text(), (done, total) -> { });
        }, Set.of(IngestException.class));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLines() throws IOException {
        check(ingest("jsonl", "jsonl", Format.TEXT, List.of(
                utf8("{\"text\":\"The cat sat on the mat.\"}\n{\"text\":\"Hello world\"}\n"),
                utf8("{\"prompt\":\"What is 2+2?\",\"response\":\"4\"}\n{\"instruction\":\"Add\",\"input\":\"2 2\","
                        + "\"output\":\"4\"}\n\n{\"text\":\"ünïcödé 😀\"}\n"))));
    }

    @Test
    void csv() throws IOException {
        check(ingest("csv", "csv", Format.TEXT, List.of(
                utf8("text,label\n\"The cat, the mat\",1\nHello world,0\n\"She said \"\"hi\"\"\",2\n"),
                utf8("prompt,response\nWhat is 2+2?,4\n\"multi\nline\",\"ok\"\r\n"))));
    }

    static byte[] pdfSeed(String... pages) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
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
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void pdf() throws IOException {
        check(ingest("pdf", "pdf", Format.BINARY, List.of(pdfSeed("Attribution pays contributors."),
                pdfSeed("First page.", "Second page about datanets."))));
    }

    @Test
    void aPdfNestingArraysThousandsDeepIsRefusedNotAStackOverflow() throws IOException {
        // found by scripts/fuzz.sh (seed 3911714402): PDFBox parses nested arrays recursively
        Path file = dir.resolve("deep.pdf");
        Files.copy(REGRESSIONS.resolve("pdf/deep-array-stack-overflow.bin"), file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // on a thread with a small stack, so that the overflow comes however much the JIT has shrunk the parser's
        // frames (after a long campaign in the same JVM, the main thread's 8 MiB held the whole nesting)
        Throwable[] thrown = new Throwable[1];
        Thread reader = new Thread(null, () -> {
            try {
                INGEST.read(file, "0x0000000000000000000000000000000000000001", row -> { }, (d, t) -> { });
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "deep-pdf", 256 * 1024);
        reader.start();
        try {
            reader.join(60_000);
        } catch (InterruptedException interrupted) {
            throw new AssertionError(interrupted);
        }
        assertTrue(thrown[0] instanceof IngestException, "refused as the file's fault: " + thrown[0]);
        assertTrue(thrown[0].getMessage().contains("nest too deeply"), thrown[0].getMessage());
    }

    static byte[] docxSeed(String... paragraphs) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String p : paragraphs) {
                doc.createParagraph().createRun().setText(p);
            }
            doc.write(out);
            return out.toByteArray();
        }
    }

    /** A DOCX is a zip: most mutants edit one entry's XML and zip it again, so the XML reader is reached. */
    static byte[] mutateDocx(byte[] seed, Random r, Mutator m) {
        if (r.nextInt(4) == 0) {
            return m.bytes(seed, r);
        }
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(seed));
             ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            List<ZipEntry> entries = new java.util.ArrayList<>();
            List<byte[]> contents = new java.util.ArrayList<>();
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(new ZipEntry(e.getName()));
                contents.add(in.readAllBytes());
            }
            if (entries.isEmpty()) {
                return m.bytes(seed, r);
            }
            int pick = r.nextInt(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).getName().endsWith("document.xml") && r.nextBoolean()) {
                    pick = i;
                }
            }
            contents.set(pick, m.text(contents.get(pick), r));
            for (int i = 0; i < entries.size(); i++) {
                out.putNextEntry(entries.get(i));
                out.write(contents.get(i));
                out.closeEntry();
            }
            out.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            return m.bytes(seed, r);
        }
    }

    @Test
    void docx() throws IOException {
        check(ingest("docx", "docx", Format.BINARY, List.of(docxSeed("Attribution pays contributors.",
                "A second paragraph."))).mutatedBy(IngestFuzzTest::mutateDocx));
    }
}
