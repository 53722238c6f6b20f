package org.openledger.studio.app.cli.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;

/**
 * An attribution record, and the node's influence indexes, as plain-text tables for a terminal. Every field of the
 * wire records may be absent (an older node, a pending record); an absent one prints as {@code -}.
 */
public final class AttributionReport {

    /** Characters of a row's or span's text shown in a table cell. */
    static final int TEXT_WIDTH = 60;

    private AttributionReport() {
    }

    /** The whole report of one record: header, influential rows, spans, shares per contributor and per Datanet. */
    public static String of(AttributionRecord r) {
        StringBuilder out = new StringBuilder();
        out.append("Attribution ").append(dash(r.id())).append('\n');
        out.append("model     ").append(dash(r.model()))
                .append(r.adapter() != null && !r.adapter().equals(r.model()) ? " (adapter " + r.adapter() + ")" : "")
                .append('\n');
        out.append("state     ").append(dash(r.state())).append('\n');
        if ("failed".equals(r.state())) {
            out.append("error     ").append(r.error() == null ? "the node did not say why" : r.error()).append('\n');
            return out.toString();
        }
        if ("pending".equals(r.state())) {
            out.append("The node is still attributing this answer; ask again shortly "
                    + "(studio attribution show ").append(dash(r.id())).append(")\n");
            return out.toString();
        }
        out.append("rows      ").append(r.rowsScored() == null ? "-" : r.rowsScored() + " scored").append('\n');
        out.append("time      ").append(r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.2f s",
                r.seconds())).append('\n');
        if (r.completion() != null) {
            out.append("answer    ").append(cut(r.completion(), 3 * TEXT_WIDTH)).append('\n');
        }

        out.append("\nInfluential rows\n");
        List<AttributionRecord.Influence> influence = r.influence() == null ? List.of() : r.influence();
        if (influence.isEmpty()) {
            out.append("  none: no training row was scored\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"rank", "score", "share", "source", "datanet", "contributor", "text"});
            int rank = 1;
            for (AttributionRecord.Influence i : influence) {
                rows.add(new String[]{String.valueOf(rank++), String.format(Locale.ROOT, "%.4g", i.score()),
                        percent(i.share()), dash(i.source()), dash(i.datanetId()), dash(i.contributor()),
                        cut(i.text(), TEXT_WIDTH)});
            }
            table(out, rows, 0, 1, 2);
        }

        out.append("\nSpans found verbatim in the node's rows\n");
        List<AttributionRecord.Span> spans = r.spans() == null ? List.of() : r.spans();
        if (spans.isEmpty()) {
            out.append("  none\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"chars", "count", "text", "first source"});
            for (AttributionRecord.Span s : spans) {
                AttributionRecord.SpanSource first = s.sources() == null || s.sources().isEmpty() ? null
                        : s.sources().get(0);
                rows.add(new String[]{s.start() + "-" + s.end(), String.valueOf(s.count()), cut(s.text(), TEXT_WIDTH),
                        first == null ? "-" : dash(first.source())});
            }
            table(out, rows, 1);
        }

        out.append("\nShares per contributor\n");
        List<AttributionRecord.ContributorShare> contributors = r.contributors() == null ? List.of()
                : r.contributors();
        if (contributors.isEmpty()) {
            out.append("  none\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"contributor", "share"});
            for (AttributionRecord.ContributorShare c : contributors) {
                rows.add(new String[]{dash(c.contributor()), percent(c.share())});
            }
            table(out, rows, 1);
        }

        out.append("\nShares per Datanet\n");
        List<AttributionRecord.DatanetShare> datanets = r.datanets() == null ? List.of() : r.datanets();
        if (datanets.isEmpty()) {
            out.append("  none\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"datanet", "share"});
            for (AttributionRecord.DatanetShare d : datanets) {
                rows.add(new String[]{dash(d.datanetId()), percent(d.share())});
            }
            table(out, rows, 1);
        }
        return out.toString();
    }

    /** The node's influence indexes, one row each. */
    public static String indexes(List<InfluenceIndexInfo> indexes) {
        if (indexes == null || indexes.isEmpty()) {
            return "No influence indexes yet: one is built when a fine-tuning job succeeds (or `studio attribution "
                    + "index --model ADAPTER`)\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"adapter", "state", "rows", "rows done", "k", "bytes", "build s", "preconditioner"});
        for (InfluenceIndexInfo i : indexes) {
            rows.add(new String[]{dash(i.adapter()), dash(i.state()) + (i.error() == null ? "" : " (" + i.error()
                    + ")"), num(i.rows()), num(i.rowsDone()), num(i.k()), num(i.bytes()), i.buildSeconds() == null
                    ? "-" : String.format(Locale.ROOT, "%.1f", i.buildSeconds()), dash(i.preconditioner())});
        }
        StringBuilder out = new StringBuilder();
        table(out, rows, 2, 3, 4, 5, 6);
        return out.toString();
    }

    /** One index as a line: what {@code studio attribution index} prints. */
    public static String index(InfluenceIndexInfo i) {
        return "Influence index of " + dash(i.adapter()) + ": " + dash(i.state())
                + (i.rows() == null ? "" : ", " + (i.rowsDone() == null ? "" : i.rowsDone() + "/") + i.rows()
                + " rows")
                + (i.k() == null ? "" : ", k=" + i.k())
                + (i.bytes() == null ? "" : ", " + i.bytes() + " bytes")
                + (i.buildSeconds() == null ? "" : String.format(Locale.ROOT, ", built in %.1f s", i.buildSeconds()))
                + (i.preconditioner() == null ? "" : ", " + i.preconditioner() + " preconditioner")
                + (i.error() == null ? "" : " (" + i.error() + ")");
    }

    /** A share in [0, 1] as a percent with one decimal: 0.4567 → {@code 45.7%}. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /**
     * The first {@code width} characters of {@code text} on one line (line breaks and tabs as spaces), ending in
     * {@code …} when cut.
     */
    static String cut(String text, int width) {
        if (text == null) {
            return "-";
        }
        String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String num(Number n) {
        return n == null ? "-" : n.toString();
    }

    /** Columns padded to their widest cell, two spaces apart; the columns named in {@code right} aligned right. */
    private static void table(StringBuilder out, List<String[]> rows, int... right) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < row.length; c++) {
                boolean alignRight = false;
                for (int r : right) {
                    alignRight |= r == c;
                }
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(alignRight ? pad + row[c] : row[c] + pad);
                if (c < row.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
