package org.openledger.studio.api.attribution;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Attribution records as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled): one line per influential row of each record, and one line per credit of each record's
 * charge, so a spreadsheet can sum what each contributor earned.
 */
public final class AttributionCsv {

    public static final String HEADER = "record_id,created_at,model,state,kind,source,datanet_id,contributor,score,"
            + "share,account,role,amount_wei";

    private AttributionCsv() {
    }

    /** Writes the header and the records' lines; returns how many lines follow the header. */
    public static int write(List<AttributionRecord> records, Writer out) throws IOException {
        out.write(HEADER);
        out.write("\r\n");
        int lines = 0;
        for (AttributionRecord r : records) {
            for (AttributionRecord.Influence i : r.influence() == null ? List.<AttributionRecord.Influence>of()
                    : r.influence()) {
                line(out, r, "influence", i.source(), i.datanetId(), i.contributor(), Double.toString(i.score()),
                        Double.toString(i.share()), null, null, null);
                lines++;
            }
            if (r.charge() != null) {
                for (AttributionRecord.Credit c : r.charge().credits()) {
                    line(out, r, "credit", null, null, null, null, null, c.account(), c.role(), c.amountWei());
                    lines++;
                }
            }
            if ((r.influence() == null || r.influence().isEmpty()) && r.charge() == null) {
                line(out, r, "record", null, null, null, null, null, null, null, null);
                lines++;
            }
        }
        out.flush();
        return lines;
    }

    private static void line(Writer out, AttributionRecord r, String... fields) throws IOException {
        String[] all = new String[4 + fields.length];
        all[0] = r.id();
        all[1] = r.createdAt() == null ? null : Long.toString(r.createdAt());
        all[2] = r.model();
        all[3] = r.state();
        System.arraycopy(fields, 0, all, 4, fields.length);
        for (int i = 0; i < all.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(all[i]));
        }
        out.write("\r\n");
    }

    /** One CSV field: quoted (quotes doubled) when it holds a comma, quote or line break; null is empty. */
    public static String field(String v) {
        if (v == null) {
            return "";
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
