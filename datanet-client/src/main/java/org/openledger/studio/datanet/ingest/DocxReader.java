package org.openledger.studio.datanet.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.EmptyFileException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OLE2NotOfficeXmlFileException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationshipCollection;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;

/**
 * Word documents (.docx). POI opens the package (with its zip-bomb guards); the main document part is then read
 * with StAX, one paragraph at a time, instead of building POI's whole object model: bounded memory for large files.
 */
public final class DocxReader implements DocumentReader {

    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private final ChunkSettings settings;
    private final TokenCounter counter;
    private final TextNormaliser normaliser;

    public DocxReader(ChunkSettings settings, TokenCounter counter, TextNormaliser normaliser) {
        this.settings = settings;
        this.counter = counter;
        this.normaliser = normaliser;
    }

    private static final String DAMAGED = "is a damaged Word document";

    @Override
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        String name = Sources.name(file);
        if (!Files.isRegularFile(file)) {
            throw new IngestException("File not found: " + file);
        }
        long[] rows = {0};
        Chunker chunker = new Chunker(settings, counter, normaliser, (text, line, offset, page) -> {
            sink.accept(new IngestedRow(text, new Provenance(name, 0, offset, 0, contributor)));
            rows[0]++;
        });
        // opening words its own refusals (below); what the parts then hold is guarded
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            PackageRelationshipCollection rels = Sources.library(name, DAMAGED,
                    () -> pkg.getRelationshipsByType(PackageRelationshipTypes.CORE_DOCUMENT));
            if (rels.size() == 0) {
                throw new IngestException(name + " is a zip package but not a Word document (no main document part)");
            }
            PackagePart main = Sources.library(name, DAMAGED, () -> pkg.getPart(rels.getRelationship(0)));
            if (main == null) {
                throw new IngestException(name + " is damaged: its main document part is missing");
            }
            try (InputStream in = Sources.library(name, DAMAGED, main::getInputStream)) {
                paragraphs(in, chunker);
            }
        } catch (OLE2NotOfficeXmlFileException e) {
            throw new IngestException(name + " is an old Word 97-2003 .doc file; save it as .docx", e);
        } catch (NotOfficeXmlFileException | EmptyFileException e) {
            throw new IngestException(name + " is not a Word document (.docx is a zip package; this file is not one)", e);
        } catch (InvalidFormatException | POIXMLException | IOException e) {
            throw new IngestException(name + " is a damaged Word document (" + e.getMessage() + ")", e);
        } catch (XMLStreamException e) {
            throw new IngestException(name + " is a damaged Word document: its text is not well-formed XML ("
                    + e.getMessage() + ")", e);
        }
        chunker.finish();
        progress.progress(1, 1);
        return new IngestSummary(name, rows[0], List.of());
    }

    private static void paragraphs(InputStream in, Chunker chunker) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        StringBuilder paragraph = new StringBuilder();
        boolean inText = false;
        long offset = 0;
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT && W.equals(xml.getNamespaceURI())) {
                    switch (xml.getLocalName()) {
                        case "t" -> inText = true;
                        case "tab" -> paragraph.append('\t');
                        case "br", "cr" -> paragraph.append('\n');
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS && inText) {
                    paragraph.append(xml.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT && W.equals(xml.getNamespaceURI())) {
                    if ("t".equals(xml.getLocalName())) {
                        inText = false;
                    } else if ("p".equals(xml.getLocalName())) {
                        if (!paragraph.isEmpty()) {
                            chunker.line(paragraph, 0, offset, 0, false);
                            offset += paragraph.length() + 1;
                        }
                        chunker.endParagraph();
                        paragraph.setLength(0);
                    }
                }
            }
        } finally {
            xml.close();
        }
    }
}
