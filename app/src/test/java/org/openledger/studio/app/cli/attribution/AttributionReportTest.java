package org.openledger.studio.app.cli.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRecord.ContributorShare;
import org.openledger.studio.api.attribution.AttributionRecord.DatanetShare;
import org.openledger.studio.api.attribution.AttributionRecord.Influence;
import org.openledger.studio.api.attribution.AttributionRecord.Span;
import org.openledger.studio.api.attribution.AttributionRecord.SpanSource;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;

/** {@link AttributionReport} on hand-made records: columns, truncation, percentages, empty lists, absent fields. */
class AttributionReportTest {

    private static final String ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String LONG = "The lighthouse keeper counted every wave that broke on the northern rocks "
            + "until morning came";

    @Test
    void doneRecordHasHeaderTablesAndShares() {
        AttributionRecord r = new AttributionRecord("attr-1", "attribution", "done", 1_700_000_000L, "tiny-ft-a",
                "tiny-ft-a", "By the lighthouse, counting waves.",
                List.of(new Influence("datanet:7/up-1/3", "7", "up-1", 3, ALICE, LONG, 12.5, 0.4567),
                        new Influence("line:2", null, null, null, null, "short\nrow", -0.25, 0)),
                List.of(new Span(3, 13, "lighthouse", 4, List.of(new SpanSource("line:2", null, null, null, null,
                        "short row")))),
                List.of(new ContributorShare(ALICE, 0.4567), new ContributorShare(null, 0.5433)),
                List.of(new DatanetShare("7", 1.0)), 40, 27.4, 1.234, null);

        String report = AttributionReport.of(r);
        List<String> lines = report.lines().toList();
        assertEquals("Attribution attr-1", lines.get(0));
        assertEquals("model     tiny-ft-a", lines.get(1), "the adapter is not repeated when it is the model");
        assertEquals("state     done", lines.get(2));
        assertEquals("rows      40 scored", lines.get(3));
        assertEquals("time      1.23 s", lines.get(4));

        int header = lines.indexOf("Influential rows") + 1;
        String head = lines.get(header);
        assertTrue(head.matches("  rank +score +share +source +datanet +contributor +text"), head);
        String first = lines.get(header + 1);
        assertTrue(first.startsWith("     1  "), "rank right-aligned under its header: " + first);
        assertTrue(first.contains("12.50") && first.contains("45.7%") && first.contains("datanet:7/up-1/3")
                && first.contains(ALICE), first);
        String cut = LONG.substring(0, AttributionReport.TEXT_WIDTH - 1) + "…";
        assertTrue(first.endsWith(cut), "text cut to " + AttributionReport.TEXT_WIDTH + " characters: " + first);
        String second = lines.get(header + 2);
        assertTrue(second.contains("-0.2500") && second.contains("0.0%") && second.endsWith("short row"), second);
        assertTrue(second.matches(".*line:2 +- +- +short row"), "absent Datanet and contributor print as -: "
                + second);
        assertEquals(head.indexOf("source"), first.indexOf("datanet:7"), "columns line up");
        assertEquals(head.indexOf("source"), second.indexOf("line:2"), "columns line up");

        int spans = lines.indexOf("Spans found verbatim in the node's rows") + 1;
        assertTrue(lines.get(spans).matches("  chars +count +text +first source"), lines.get(spans));
        assertTrue(lines.get(spans + 1).matches("  3-13 +4 +lighthouse +line:2"), lines.get(spans + 1));

        int contributors = lines.indexOf("Shares per contributor") + 1;
        assertTrue(lines.get(contributors + 1).matches("  " + ALICE + " +45\\.7%"), lines.get(contributors + 1));
        assertTrue(lines.get(contributors + 2).matches("  - +54\\.3%"), lines.get(contributors + 2));
        int datanets = lines.indexOf("Shares per Datanet") + 1;
        assertTrue(lines.get(datanets + 1).matches("  7 +100\\.0%"), lines.get(datanets + 1));
        assertTrue(lines.stream().noneMatch(l -> l.endsWith(" ")), "no trailing blanks");
    }

    @Test
    void emptyListsAndAbsentFieldsSayNone() {
        AttributionRecord r = new AttributionRecord("attr-2", null, "done", null, "m", "other-adapter", null,
                List.of(), null, null, List.of(), null, null, null, null);
        String report = AttributionReport.of(r);
        assertTrue(report.contains("model     m (adapter other-adapter)"), report);
        assertTrue(report.contains("rows      -\n") && report.contains("time      -\n"), report);
        assertFalse(report.contains("answer "), report);
        assertTrue(report.contains("Influential rows\n  none: no training row was scored\n"), report);
        assertTrue(report.contains("Spans found verbatim in the node's rows\n  none\n"), report);
        assertTrue(report.contains("Shares per contributor\n  none\n"), report);
        assertTrue(report.endsWith("Shares per Datanet\n  none\n"), report);
        assertFalse(report.contains("null"), report);
    }

    @Test
    void pendingAndFailedRecordsSaySo() {
        String pending = AttributionReport.of(new AttributionRecord("attr-3", null, "pending", null, "m", null, null,
                null, null, null, null, null, null, null, null));
        assertTrue(pending.contains("state     pending"), pending);
        assertTrue(pending.contains("still attributing") && pending.contains("studio attribution show attr-3"),
                pending);
        assertFalse(pending.contains("Influential rows"), pending);

        String failed = AttributionReport.of(new AttributionRecord("attr-4", null, "failed", null, null, null, null,
                null, null, null, null, null, null, null, "The node stopped before this answer was attributed"));
        assertTrue(failed.contains("model     -"), failed);
        assertTrue(failed.contains("state     failed\nerror     The node stopped before this answer was attributed"),
                failed);
        assertFalse(failed.contains("Influential rows"), failed);
        assertTrue(AttributionReport.of(new AttributionRecord("attr-5", null, "failed", null, null, null, null, null,
                null, null, null, null, null, null, null)).contains("error     the node did not say why"));
    }

    @Test
    void percentsAndCuts() {
        assertEquals("0.0%", AttributionReport.percent(0));
        assertEquals("100.0%", AttributionReport.percent(1));
        assertEquals("33.3%", AttributionReport.percent(1.0 / 3));
        assertEquals("0.1%", AttributionReport.percent(0.00051));
        assertEquals("-", AttributionReport.cut(null, 10));
        assertEquals("abc", AttributionReport.cut("abc", 3));
        assertEquals("ab…", AttributionReport.cut("abcd", 3));
        assertEquals("a b", AttributionReport.cut(" a\r\n\tb ", 10));
    }

    @Test
    void indexTableAndLine() {
        String none = AttributionReport.indexes(List.of());
        assertTrue(none.startsWith("No influence indexes yet"), none);
        List<String> lines = AttributionReport.indexes(List.of(
                new InfluenceIndexInfo("tiny-ft-a", "ready", 40, 40, 1024, 81_920L, 3.25, "gram", null, 1L),
                new InfluenceIndexInfo("tiny-ft-b", "failed", null, null, null, null, null, null, "no rows", null)))
                .lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("  adapter +state +rows +rows done +k +bytes +build s +preconditioner"),
                lines.get(0));
        assertTrue(lines.get(1).matches("  tiny-ft-a +ready +40 +40 +1024 +81920 +3\\.3 +gram"), lines.get(1));
        assertTrue(lines.get(2).matches("  tiny-ft-b +failed \\(no rows\\) +- +- +- +- +- +-"), lines.get(2));

        assertEquals("Influence index of tiny-ft-a: building, 12/40 rows, k=1024", AttributionReport.index(
                new InfluenceIndexInfo("tiny-ft-a", "building", 40, 12, 1024, null, null, null, null, null)));
        assertEquals("Influence index of tiny-ft-a: ready, 40/40 rows, k=1024, 81920 bytes, built in 3.3 s, gram "
                + "preconditioner", AttributionReport.index(new InfluenceIndexInfo("tiny-ft-a", "ready", 40, 40, 1024,
                81_920L, 3.25, "gram", null, 1L)));
    }
}
