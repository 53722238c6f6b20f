package org.openledger.studio.datanet.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CSV (RFC 4180: quoted fields may hold delimiters, quotes as {@code ""} and line breaks). Each record is one row,
 * its source {@code file:line} where the record starts. Records with the wrong number of fields or an empty text
 * are reported by line and skipped.
 */
public final class CsvReader implements DocumentReader {

    static final int MAX_RECORD_CHARS = 8 << 20;

    private final CsvMapping mapping;
    private final TextNormaliser normaliser;

    public CsvReader(CsvMapping mapping, TextNormaliser normaliser) {
        this.mapping = mapping;
        this.normaliser = normaliser;
    }

    @Override
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        try (InputStream in = Sources.open(file)) {
            return read(in, Sources.name(file), contributor, sink, progress);
        } catch (IOException e) {
            throw new IngestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public IngestSummary read(InputStream in, String fileName, String contributor, RowSink sink,
                              ProgressListener progress) {
        try {
            in = BinaryContent.refuseBinary(in, fileName, "a CSV file");
        } catch (IOException e) {
            throw new IngestException("Cannot read " + fileName + ": " + e.getMessage(), e);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        Records records = new Records(new BufferedReader(new InputStreamReader(in, decoder), 1 << 16), fileName);
        List<LineProblem> problems = new ArrayList<>();
        long rows = 0;
        try {
            List<String> header = records.next();
            if (header == null) {
                return new IngestSummary(fileName, 0, List.of());
            }
            Columns columns = Columns.resolve(mapping, header, fileName);
            for (List<String> record = records.next(); record != null; record = records.next()) {
                long line = records.recordLine();
                if (record.size() == 1 && record.get(0).isBlank()) {
                    continue;
                }
                if (record.size() != header.size()) {
                    problems.add(new LineProblem(fileName, line,
                            "has " + record.size() + " fields, the header has " + header.size()));
                    continue;
                }
                String text = normaliser.normalise(columns.text(record));
                if (text.isEmpty()) {
                    problems.add(new LineProblem(fileName, line, "the text is empty"));
                    continue;
                }
                sink.accept(new IngestedRow(text, new Provenance(fileName, line, records.recordOffset(), 0, contributor)));
                rows++;
                if (rows % 10_000 == 0) {
                    progress.progress(records.chars(), -1);
                }
            }
        } catch (CharacterCodingException e) {
            throw new IngestException(fileName + " near line " + records.line() + ": invalid UTF-8 (save the file as UTF-8)", e);
        } catch (IOException e) {
            throw new IngestException("Cannot read " + fileName + ": " + e.getMessage(), e);
        }
        if (records.unterminatedAt() > 0) {
            problems.add(new LineProblem(fileName, records.unterminatedAt(),
                    "a quoted field starts here and never ends; the rest of the file was skipped"));
        }
        return new IngestSummary(fileName, rows, problems);
    }

    /** Which fields of a record make the row text. */
    private record Columns(int text, int instruction, int response) {

        static Columns resolve(CsvMapping m, List<String> header, String file) {
            List<String> names = header.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            if (m.textColumn() != null) {
                return new Columns(index(names, m.textColumn(), file), -1, -1);
            }
            if (m.instructionColumn() != null) {
                return new Columns(-1, index(names, m.instructionColumn(), file), index(names, m.responseColumn(), file));
            }
            if (names.contains("text")) {
                return new Columns(names.indexOf("text"), -1, -1);
            }
            for (String[] pair : new String[][] {{"instruction", "response"}, {"instruction", "output"},
                    {"prompt", "completion"}, {"question", "answer"}}) {
                if (names.contains(pair[0]) && names.contains(pair[1])) {
                    return new Columns(-1, names.indexOf(pair[0]), names.indexOf(pair[1]));
                }
            }
            if (names.size() == 1) {
                return new Columns(0, -1, -1);
            }
            throw new IngestException(file + ": choose the column that holds the text (columns: "
                    + String.join(", ", header) + ")");
        }

        private static int index(List<String> names, String column, String file) {
            int i = names.indexOf(column.strip().toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IngestException(file + " has no column \"" + column + "\" (columns: "
                        + String.join(", ", names) + ")");
            }
            return i;
        }

        String text(List<String> record) {
            if (text >= 0) {
                return record.get(text);
            }
            return InstructionText.of(record.get(instruction), null, record.get(response));
        }
    }

    /** An RFC 4180 record reader over characters, tracking line numbers and offsets. */
    private final class Records {
        private final BufferedReader in;
        private final String file;
        private long line = 1;
        private long chars;
        private long recordLine;
        private long recordOffset;
        private long unterminatedAt;
        private int pushedBack = -2;

        Records(BufferedReader in, String file) {
            this.in = in;
            this.file = file;
        }

        long line() {
            return line;
        }

        long chars() {
            return chars;
        }

        long recordLine() {
            return recordLine;
        }

        long recordOffset() {
            return recordOffset;
        }

        long unterminatedAt() {
            return unterminatedAt;
        }

        private int read() throws IOException {
            int c;
            if (pushedBack != -2) {
                c = pushedBack;
                pushedBack = -2;
            } else {
                c = in.read();
            }
            if (c >= 0) {
                chars++;
                if (c == '\n') {
                    line++;
                }
            }
            return c;
        }

        private void unread(int c) {
            pushedBack = c;
            if (c >= 0) {
                chars--;
                if (c == '\n') {
                    line--;
                }
            }
        }

        /** The next record's fields, or null at the end. */
        List<String> next() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            unread(c);
            recordLine = line;
            recordOffset = chars;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int size = 0;
            while (true) {
                c = read();
                if (c < 0) {
                    fields.add(field.toString());
                    return fields;
                }
                if (c == '"' && field.length() == 0) {
                    long quoteLine = line;
                    while (true) {
                        c = read();
                        if (c < 0) {
                            unterminatedAt = quoteLine;
                            return null;
                        }
                        if (c == '"') {
                            int d = read();
                            if (d == '"') {
                                field.append('"');
                                continue;
                            }
                            unread(d);
                            break;
                        }
                        field.append((char) c);
                        if (++size > MAX_RECORD_CHARS) {
                            throw new IngestException(file + " line " + quoteLine + ": a record longer than "
                                    + (MAX_RECORD_CHARS >> 20) + " M characters (is a quote missing?)");
                        }
                    }
                    continue;
                }
                if (c == mapping.delimiter()) {
                    fields.add(field.toString());
                    field.setLength(0);
                    continue;
                }
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        unread(d);
                    }
                    fields.add(field.toString());
                    return fields;
                }
                if (c == '\n') {
                    fields.add(field.toString());
                    return fields;
                }
                if (c == 0) {
                    throw new IngestException(file + " line " + line + ": a NUL byte (this looks like a binary file, not CSV)");
                }
                field.append((char) c);
                if (++size > MAX_RECORD_CHARS) {
                    throw new IngestException(file + " line " + recordLine + ": a record longer than "
                            + (MAX_RECORD_CHARS >> 20) + " M characters");
                }
            }
        }
    }
}
