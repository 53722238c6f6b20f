package org.openledger.studio.viewer;

import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.attribution.AttributionRecord;

/**
 * The slices of a record's share charts. The node's Datanet and contributor shares sum over every row, and rows of
 * inline training data belong to no Datanet and no contributor, so what is left of 1 is shown as its own slice.
 */
public final class ShareSlices {

    /** A slice: its label and its share of the answer (0-1). */
    public record Slice(String label, double share) {
    }

    public static final String INLINE = "Rows of inline training data";

    private static final double SHOWN = 0.0005;

    private ShareSlices() {
    }

    public static List<Slice> perDatanet(AttributionRecord r) {
        List<Slice> out = new ArrayList<>();
        if (r.datanets() != null) {
            r.datanets().forEach(d -> out.add(new Slice("Datanet " + d.datanetId(), d.share())));
        }
        return withRest(r, out);
    }

    public static List<Slice> perContributor(AttributionRecord r) {
        List<Slice> out = new ArrayList<>();
        if (r.contributors() != null) {
            r.contributors().forEach(c -> out.add(new Slice(Formats.shortAddress(c.contributor()), c.share())));
        }
        return withRest(r, out);
    }

    private static List<Slice> withRest(AttributionRecord r, List<Slice> slices) {
        boolean anyPositive = r.positiveTotal() != null ? r.positiveTotal() > 0
                : r.influence() != null && r.influence().stream().anyMatch(i -> i.share() > 0);
        double rest = 1 - slices.stream().mapToDouble(Slice::share).sum();
        if (anyPositive && rest > SHOWN) {
            slices.add(new Slice(INLINE, rest));
        }
        return slices.stream().filter(s -> s.share() > SHOWN).toList();
    }
}
