package org.openledger.studio.ui.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.attribution.AttributionRecord;

class AttributionCsvTest {

    @Test
    void oneLinePerInfluentialRowAndOneForARecordWithoutRows() throws Exception {
        var done = new AttributionRecord("attr-1", "attribution", "done", 1_700_000_000L, "vault, v2", "vault, v2",
                "x", List.of(new AttributionRecord.Influence("line:17", null, null, null, null, "t", 0.5, 0.25),
                new AttributionRecord.Influence("upload:u1#3", "7", "u1", 3, "0xabc", "say \"hi\"", -0.125, 0)),
                List.of(), List.of(), List.of(), 30, 2.0, 0.2, null);
        var pending = new AttributionRecord("attr-2", "attribution", "pending", null, "m", "m", "", null, null, null,
                null, null, null, null, null);
        StringWriter out = new StringWriter();
        assertEquals(3, AttributionCsv.write(List.of(done, pending), out));
        assertEquals(String.join("\n",
                AttributionCsv.HEADER,
                "attr-1,2023-11-14T22:13:20Z,\"vault, v2\",done,line:17,,,0.500000,0.250000",
                "attr-1,2023-11-14T22:13:20Z,\"vault, v2\",done,upload:u1#3,7,0xabc,-0.125000,0.000000",
                "attr-2,,m,pending,,,,,") + "\n", out.toString());
        assertEquals("\"a \"\"b\"\"\"", AttributionCsv.field("a \"b\""));
    }
}
