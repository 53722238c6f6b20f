package org.openledger.studio.api.attribution;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionCsvTest {

    @Test
    void oneLinePerInfluentialRowAndPerCreditQuotedAsRfc4180() throws Exception {
        AttributionRecord r = new AttributionRecord("attr-1", "attribution", "done", 1700000000L, "m", "m", "x",
                List.of(new AttributionRecord.Influence("line:3", null, null, null, null, "a \"quoted\", text", 2.5,
                        0.75)), List.of(), List.of(), List.of(), 4, 3.3, 0.1, null)
                .withCharge(new AttributionRecord.Charge(3, 4, "10", "1", "4", "0", "5",
                        List.of(new AttributionRecord.Credit("0xabc", "owner", "4")), "a, note"));
        AttributionRecord pending = new AttributionRecord("attr-2", "attribution", "pending", 1700000001L, "m", "m",
                "y", List.of(), List.of(), List.of(), List.of(), null, null, null, null);
        StringWriter out = new StringWriter();
        assertEquals(3, AttributionCsv.write(List.of(r, pending), out));
        String[] lines = out.toString().split("\r\n");
        assertEquals(AttributionCsv.HEADER, lines[0]);
        assertEquals("attr-1,1700000000,m,done,influence,line:3,,,2.5,0.75,,,", lines[1]);
        assertEquals("attr-1,1700000000,m,done,credit,,,,,,0xabc,owner,4", lines[2]);
        assertEquals("attr-2,1700000001,m,pending,record,,,,,,,,", lines[3]);
        assertEquals("\"a \"\"quoted\"\", text\"", AttributionCsv.field("a \"quoted\", text"));
        assertEquals(4, lines.length);
    }
}
