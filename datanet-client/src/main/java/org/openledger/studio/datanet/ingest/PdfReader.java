package org.openledger.studio.datanet.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF text, page by page (PDFBox), chunked like prose; each row's source names its page. Pages are extracted one at
 * a time and PDFBox buffers through a temp file, so a large PDF does not fill the heap.
 */
public final class PdfReader implements DocumentReader {

    private final ChunkSettings settings;
    private final TokenCounter counter;
    private final TextNormaliser normaliser;

    public PdfReader(ChunkSettings settings, TokenCounter counter, TextNormaliser normaliser) {
        this.settings = settings;
        this.counter = counter;
        this.normaliser = normaliser;
    }

    private static final String PDF = "is not a readable PDF";

    @Override
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        String name = Sources.name(file);
        if (!Files.isRegularFile(file)) {
            throw new IngestException("File not found: " + file);
        }
        long[] rows = {0};
        Chunker chunker = new Chunker(settings, counter, normaliser, (text, line, offset, page) -> {
            sink.accept(new IngestedRow(text, new Provenance(name, 0, offset, page, contributor)));
            rows[0]++;
        });
        try (PDDocument doc = Sources.library(name, PDF, () -> Loader.loadPDF(file.toFile(), "", null, null,
                IOUtils.createTempFileOnlyStreamCache()))) {
            // the pages there are, not the page tree's /Count, which a file may set to millions (found by fuzzing:
            // a loop over 20,000,000 declared pages of a one-page file)
            int pages = Sources.library(name, PDF, () -> {
                int n = 0;
                for (PDPage ignored : doc.getPages()) {
                    n++;
                }
                return n;
            });
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            long offset = 0;
            for (int p = 1; p <= pages; p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                String text = Sources.library(name, PDF, () -> stripper.getText(doc));
                for (String line : text.split("\\R", -1)) {
                    chunker.line(line, 0, offset, p, false);
                    offset += line.length() + 1;
                }
                chunker.endParagraph();
                progress.progress(p, pages);
            }
        } catch (InvalidPasswordException e) {
            throw new IngestException(name + " is a password-protected PDF; remove the password and add it again", e);
        } catch (IOException e) {
            throw new IngestException(name + " is not a readable PDF (" + e.getMessage() + ")", e);
        } catch (StackOverflowError e) {
            // PDFBox reads nested arrays and dictionaries recursively, unbounded ("[[[[..." thousands deep, found by
            // fuzzing); the parse has written nothing yet, so this is the file's refusal like any other
            throw new IngestException(name + " is not a readable PDF (its objects nest too deeply)");
        }
        chunker.finish();
        return new IngestSummary(name, rows[0], List.of());
    }
}
