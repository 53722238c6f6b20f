package org.openledger.studio.ui.attribution;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.openledger.studio.api.attribution.AttributionRecord;

/**
 * Attribution records as CSV, one line per influential row of each record (a record without rows, e.g. pending or
 * failed, gets one line with the row fields empty): id, created (ISO-8601, UTC), model, state, source, datanet,
 * contributor, score, share.
 */
public final class AttributionCsv {

    public static final String HEADER = "id,created,model,state,source,datanet,contributor,score,share";

    private AttributionCsv() {
    }

    /** Writes {@code records}; returns the number of lines written below the header. */
    public static int write(List<AttributionRecord> records, Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
        int lines = 0;
        for (AttributionRecord r : records) {
            String created = r.createdAt() == null ? "" : Instant.ofEpochSecond(r.createdAt()).toString();
            String head = String.join(",", field(r.id()), field(created), field(r.model()), field(r.state()));
            List<AttributionRecord.Influence> rows = r.influence() == null ? List.of() : r.influence();
            if (rows.isEmpty()) {
                out.write(head + ",,,,,\n");
                lines++;
            }
            for (AttributionRecord.Influence i : rows) {
                out.write(head + "," + String.join(",", field(i.source()), field(i.datanetId()),
                        field(i.contributor()), String.format(Locale.ROOT, "%.6g", i.score()),
                        String.format(Locale.ROOT, "%.6f", i.share())) + "\n");
                lines++;
            }
        }
        out.flush();
        return lines;
    }

    /** A field quoted when it holds a comma, quote or line break (RFC 4180). */
    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
