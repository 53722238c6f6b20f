package org.openledger.studio.daemon.attribution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.influence.InfluenceIndex;

/**
 * An answer's record from every row's influence score: the top rows, and the shares of each row, contributor and
 * Datanet. A row's share is its score over the sum of the positive scores of all rows (OpenLedger's I/ΣI); rows of
 * negative influence get none. Contributor and Datanet shares sum their rows' shares over every row, not only the
 * top ones; rows of inline training data belong to neither, so those totals can be below 1. Copies of a row (exact
 * or near duplicates) are one source: their shares go to the contributor of the earliest copy.
 */
final class Shares {

    private Shares() {
    }

    /** Row i's share is credited to {@code credited.apply(i)} (the earliest contributor of its copies; null: none). */
    static AttributionRecord record(String id, String model, String completion, InfluenceIndex index, float[] scores,
                                    int topK, List<AttributionRecord.Span> spans, double seconds,
                                    java.util.function.IntFunction<String> credited) {
        double positive = 0;
        for (float s : scores) {
            if (s > 0) {
                positive += s;
            }
        }
        Map<String, Double> contributors = new LinkedHashMap<>();
        Map<String, Double> datanets = new LinkedHashMap<>();
        Map<List<String>, Double> portions = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] <= 0 || positive <= 0) {
                continue;
            }
            IndexedRow r = index.row(i);
            double share = scores[i] / positive;
            String who = r.contributor() == null ? null : credited.apply(i);
            if (who != null) {
                contributors.merge(who, share, Double::sum);
                portions.merge(java.util.Arrays.asList(who, r.datanetId()), share, Double::sum);
            }
            if (r.datanetId() != null) {
                datanets.merge(r.datanetId(), share, Double::sum);
            }
        }
        List<AttributionRecord.Influence> top = new ArrayList<>();
        for (InfluenceIndex.Scored s : InfluenceIndex.top(scores, topK)) {
            IndexedRow r = index.row(s.row());
            double share = s.score() > 0 && positive > 0 ? s.score() / positive : 0;
            top.add(new AttributionRecord.Influence(r.source(), r.datanetId(), r.uploadId(), r.seq(), r.contributor(),
                    r.shownText(), s.score(), share));
        }
        return new AttributionRecord(id, "attribution", "done", Instant.now().getEpochSecond(), model, model,
                completion, top, spans, contributors(contributors), sortedDatanets(datanets), scores.length, positive,
                seconds, null, null, portions.entrySet().stream().map(e -> new AttributionRecord.Portion(
                        e.getKey().get(0), e.getKey().get(1), e.getValue())).toList());
    }

    private static List<AttributionRecord.ContributorShare> contributors(Map<String, Double> m) {
        return m.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> new AttributionRecord.ContributorShare(e.getKey(), e.getValue())).toList();
    }

    private static List<AttributionRecord.DatanetShare> sortedDatanets(Map<String, Double> m) {
        return m.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> new AttributionRecord.DatanetShare(e.getKey(), e.getValue())).toList();
    }
}
