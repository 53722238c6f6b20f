package org.openledger.studio.api.rewards;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.openledger.studio.api.attribution.AttributionCsv;

/**
 * An account's credits as CSV (RFC 4180, CRLF line ends), one line per credit: the epoch that settled it (or
 * {@code unsettled}), the attribution record and its model, the role, and the amount in wei and in OPEN.
 */
public final class EarningsCsv {

    public static final String HEADER = "epoch,record_id,model,role,amount_wei,amount_open";
    /** The epoch column of a credit no posted epoch covers yet. */
    public static final String UNSETTLED = "unsettled";
    /** The model column of a credit that names no attribution record. */
    public static final String NOT_ATTRIBUTED = "(not attributed)";

    /** One credit: {@code epoch} is a number or {@link #UNSETTLED}; record and model are null when not attributed. */
    public record Line(String epoch, String recordId, String model, String role, String amountWei) {
    }

    private EarningsCsv() {
    }

    /**
     * The credits of {@code account}, oldest first, each with the epoch that settled it: the node settles credits in
     * the order it recorded them, so a credit is in the first posted epoch whose cumulative amount for the account
     * reaches the running sum up to and including it. {@code models} maps record ids to models (missing: null).
     */
    public static List<Line> lines(String account, RewardCredits credits, List<RewardEpoch> epochs,
                                   Map<String, String> models) {
        List<RewardCredit> oldestFirst = new ArrayList<>(credits.data());
        if (oldestFirst.stream().allMatch(c -> c.id() != null)) {
            oldestFirst.sort(Comparator.comparingLong(RewardCredit::id));
        } else {
            java.util.Collections.reverse(oldestFirst); // the node lists them newest first
        }
        List<RewardEpoch> posted = new ArrayList<>(epochs.stream()
                .filter(e -> RewardEpoch.POSTED.equals(e.state())).toList());
        posted.sort(Comparator.comparingLong(RewardEpoch::epoch));
        List<Line> out = new ArrayList<>();
        BigInteger running = BigInteger.ZERO;
        int next = 0;
        for (RewardCredit c : oldestFirst) {
            running = running.add(new BigInteger(c.amountWei()));
            while (next < posted.size() && Earnings.cumulative(posted.get(next), account).compareTo(running) < 0) {
                next++;
            }
            String epoch = next < posted.size() ? Long.toString(posted.get(next).epoch()) : UNSETTLED;
            Matcher m = Earnings.ATTRIBUTED.matcher(c.reason() == null ? "" : c.reason());
            if (m.matches()) {
                out.add(new Line(epoch, m.group(1), models.get(m.group(1)), m.group(2), c.amountWei()));
            } else {
                out.add(new Line(epoch, null, null, Earnings.OPERATOR, c.amountWei()));
            }
        }
        return out;
    }

    /** Writes the header and one line per credit; returns how many lines follow the header. */
    public static int write(List<Line> lines, Writer out) throws IOException {
        out.write(HEADER);
        out.write("\r\n");
        for (Line l : lines) {
            String[] fields = {l.epoch(), l.recordId(), l.recordId() == null ? NOT_ATTRIBUTED : l.model(), l.role(),
                l.amountWei(), open(l.amountWei())};
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(AttributionCsv.field(fields[i]));
            }
            out.write("\r\n");
        }
        out.flush();
        return lines.size();
    }

    /** Wei as OPEN (18 decimals), exact, without trailing zeros. */
    public static String open(String wei) {
        BigDecimal d = new BigDecimal(new BigInteger(wei), 18).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
