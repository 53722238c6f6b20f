package org.openledger.studio.datanet.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines: each line is one row, its source {@code file:line}. A line is a JSON string, or an object with
 * {@code text} (or {@code content}), or an instruction pair ({@code instruction}/{@code prompt} with
 * {@code response}/{@code output}/{@code completion}, optional {@code input}). Bad lines are reported by number and
 * skipped; the good ones are kept.
 */
public final class JsonlReader implements DocumentReader {

    static final int MAX_LINE_BYTES = 8 << 20;
    /** Stops collecting problems after this many (a wrong file type would otherwise report every line). */
    static final int MAX_PROBLEMS = 1000;

    private final TextNormaliser normaliser;
    private final ObjectMapper json = new ObjectMapper();

    public JsonlReader(TextNormaliser normaliser) {
        this.normaliser = normaliser;
    }

    @Override
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        try (InputStream in = Sources.open(file)) {
            return read(in, Sources.name(file), Sources.size(file), contributor, sink, progress);
        } catch (IOException e) {
            throw new IngestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public IngestSummary read(InputStream in, String fileName, long totalBytes, String contributor, RowSink sink,
                              ProgressListener progress) {
        try {
            in = BinaryContent.refuseBinary(in, fileName, "a JSON Lines file");
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + fileName + " failed", e);
        }
        Utf8Lines lines = new Utf8Lines(in, MAX_LINE_BYTES);
        List<LineProblem> problems = new ArrayList<>();
        long rows = 0;
        long reported = 0;
        try {
            for (Utf8Lines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.continues()) {
                    continue; // the rest of an over-long line, already reported
                }
                String problem = line.problem();
                if (problem == null && line.cut()) {
                    problem = "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB";
                }
                String text = null;
                if (problem == null) {
                    if (line.text().isBlank()) {
                        continue;
                    }
                    try {
                        text = rowText(line.text());
                    } catch (BadLine e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add(new LineProblem(fileName, line.number(), problem));
                    }
                    continue;
                }
                String normalised = normaliser.normalise(text);
                if (normalised.isEmpty()) {
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add(new LineProblem(fileName, line.number(), "the text is empty"));
                    }
                    continue;
                }
                sink.accept(new IngestedRow(normalised,
                        new Provenance(fileName, line.number(), line.charOffset(), 0, contributor)));
                rows++;
                if (lines.bytesRead() - reported >= (1 << 20)) {
                    reported = lines.bytesRead();
                    progress.progress(reported, totalBytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + fileName + " failed", e);
        }
        progress.progress(lines.bytesRead(), totalBytes);
        return new IngestSummary(fileName, rows, problems);
    }

    private String rowText(String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLine("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || node.isMissingNode()) {
            throw new BadLine("not valid JSON");
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (!node.isObject()) {
            throw new BadLine("expected a JSON object or string, found " + node.getNodeType().name().toLowerCase());
        }
        String text = field(node, "text", "content");
        if (text != null) {
            return text;
        }
        String instruction = field(node, "instruction", "prompt", "question");
        String response = field(node, "response", "output", "completion", "answer");
        if (instruction != null && response != null) {
            return InstructionText.of(instruction, field(node, "input", "context"), response);
        }
        if (instruction != null || response != null) {
            throw new BadLine("has " + (instruction != null ? "an instruction but no response" : "a response but no instruction"));
        }
        throw new BadLine("no \"text\" field and no \"instruction\"/\"response\" pair");
    }

    private static String field(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                if (!v.isTextual()) {
                    throw new BadLine("field \"" + name + "\" must be a string");
                }
                return v.asText();
            }
        }
        return null;
    }

    private static final class BadLine extends RuntimeException {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }
}
