package org.openledger.studio.api.rewards;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an account earned on a node, from its credits and the node's epochs: in total, settled (in the newest posted
 * epoch's cumulative amount) and not yet settled; per epoch (the growth of its cumulative amount); per role
 * (contributor, owner, platform, operator credit) and per attribution record. Amounts in wei.
 */
public record Earnings(String account, String totalWei, String settledWei, String unsettledWei,
                       List<EpochEarning> epochs, Map<String, String> byRole, Map<String, String> byRecord,
                       Map<String, String> byDatanet) {

    /**
     * Credits whose reason names an attribution record: "attribution attr-... (role)", or for a contributor
     * "attribution attr-... (contributor, datanet ID)".
     */
    static final Pattern ATTRIBUTED = Pattern.compile(
            "attribution (attr-[0-9a-f]+) \\((\\w+)(?:, datanet ([^)]+))?\\)");

    /** The role of a credit whose reason names no attribution record (the node's operator added it). */
    public static final String OPERATOR = "operator credit";

    public record EpochEarning(long epoch, String earnedWei, String cumulativeWei) {
    }

    public static Earnings of(String account, RewardCredits credits, List<RewardEpoch> epochs) {
        BigInteger total = BigInteger.ZERO;
        Map<String, BigInteger> roles = new LinkedHashMap<>();
        Map<String, BigInteger> records = new LinkedHashMap<>();
        Map<String, BigInteger> datanets = new LinkedHashMap<>();
        for (RewardCredit c : credits.data()) {
            BigInteger w = new BigInteger(c.amountWei());
            total = total.add(w);
            Matcher m = ATTRIBUTED.matcher(c.reason() == null ? "" : c.reason());
            if (m.matches()) {
                roles.merge(m.group(2), w, BigInteger::add);
                records.merge(m.group(1), w, BigInteger::add);
                if (m.group(3) != null) {
                    datanets.merge(m.group(3), w, BigInteger::add);
                }
            } else {
                roles.merge(OPERATOR, w, BigInteger::add);
            }
        }
        List<RewardEpoch> posted = new ArrayList<>(epochs.stream().filter(e -> RewardEpoch.POSTED.equals(e.state()))
                .toList());
        posted.sort(Comparator.comparingLong(RewardEpoch::epoch));
        List<EpochEarning> per = new ArrayList<>();
        BigInteger before = BigInteger.ZERO;
        for (RewardEpoch e : posted) {
            BigInteger cumulative = cumulative(e, account);
            if (cumulative.compareTo(before) != 0) {
                per.add(new EpochEarning(e.epoch(), cumulative.subtract(before).toString(), cumulative.toString()));
            }
            before = cumulative;
        }
        return new Earnings(account, total.toString(), before.toString(), total.subtract(before).max(BigInteger.ZERO)
                .toString(), List.copyOf(per), strings(roles), strings(records), strings(datanets));
    }

    static BigInteger cumulative(RewardEpoch e, String account) {
        for (Map.Entry<String, String> x : e.cumulative().entrySet()) {
            if (x.getKey().equalsIgnoreCase(account)) {
                return new BigInteger(x.getValue());
            }
        }
        return BigInteger.ZERO;
    }

    private static Map<String, String> strings(Map<String, BigInteger> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
