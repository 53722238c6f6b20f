package org.openledger.studio.api.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarningsCsvTest {

    private static final String A = "0x00000000000000000000000000000000000000aa";

    private static RewardEpoch posted(long n, String cumulative) {
        return new RewardEpoch(n, "0x", RewardEpoch.POSTED, cumulative, cumulative, Map.of(A.toUpperCase(), cumulative),
                "0xhash", 1L, null, null, null);
    }

    @Test
    void eachCreditGoesToTheFirstEpochThatCoversItAndLaterOnesAreUnsettled() throws Exception {
        // the node lists credits newest first
        RewardCredits credits = RewardCredits.of(List.of(
                new RewardCredit(4L, A, "250000000000000000", "attribution attr-0c (contributor)", null),
                new RewardCredit(3L, A, "1000000000000000000", "operator", null),
                new RewardCredit(2L, A, "500000000000000000", "attribution attr-0b (owner)", null),
                new RewardCredit(1L, A, "2000000000000000000", "attribution attr-0a (contributor)", null)), "x");
        List<RewardEpoch> epochs = List.of(posted(2, "3500000000000000000"),
                new RewardEpoch(3, "0x", RewardEpoch.FAILED, "1", "1", Map.of(A, "3750000000000000000"), null, null,
                        null, null, "reverted"),
                posted(1, "2000000000000000000"));
        List<EarningsCsv.Line> lines = EarningsCsv.lines(A, credits, epochs, Map.of("attr-0a", "tiny-chat:ft-1",
                "attr-0b", "model, \"quoted\""));
        assertEquals(List.of(
                new EarningsCsv.Line("1", "attr-0a", "tiny-chat:ft-1", "contributor", "2000000000000000000"),
                new EarningsCsv.Line("2", "attr-0b", "model, \"quoted\"", "owner", "500000000000000000"),
                new EarningsCsv.Line("2", null, null, Earnings.OPERATOR, "1000000000000000000"),
                new EarningsCsv.Line(EarningsCsv.UNSETTLED, "attr-0c", null, "contributor", "250000000000000000")),
                lines);

        StringWriter out = new StringWriter();
        assertEquals(4, EarningsCsv.write(lines, out));
        assertEquals(EarningsCsv.HEADER + "\r\n"
                + "1,attr-0a,tiny-chat:ft-1,contributor,2000000000000000000,2\r\n"
                + "2,attr-0b,\"model, \"\"quoted\"\"\",owner,500000000000000000,0.5\r\n"
                + "2,,(not attributed),operator credit,1000000000000000000,1\r\n"
                + "unsettled,attr-0c,,contributor,250000000000000000,0.25\r\n", out.toString());
    }

    @Test
    void weiAsOpen() {
        assertEquals("0", EarningsCsv.open("0"));
        assertEquals("0.000000000000000001", EarningsCsv.open("1"));
        assertEquals("12.5", EarningsCsv.open("12500000000000000000"));
    }
}
