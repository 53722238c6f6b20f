package org.openledger.studio.datanet.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.datanet.bench.LabelledNearDuplicates;
import org.openledger.studio.datanet.bench.NearDuplicateAccuracy;

/**
 * Precision and recall of MinHash + LSH near-duplicate detection against brute-force exact Jaccard over every pair,
 * on the benchmark's seeded labelled set ({@link LabelledNearDuplicates}: base texts plus copies with random word
 * edits at rates from 0 to 12%, which straddles the 0.8 threshold). {@code studio bench datanet} prints the same.
 */
class NearDuplicateAccuracyTest {

    @Test
    void verifiedLshFindsNearDuplicatesAsBruteForceDoes() {
        List<String> texts = LabelledNearDuplicates.generate(900, 42);
        NearDuplicateAccuracy.Result r = NearDuplicateAccuracy.measure(texts, NearDuplicateSettings.DEFAULT);
        System.out.printf("near-duplicates at J>=%.2f, %d rows, %d true pairs, banding %d x %d:%n"
                        + "  LSH + exact verification: precision %.4f recall %.4f%n"
                        + "  LSH + MinHash estimate:    precision %.4f recall %.4f%n",
                r.threshold(), r.texts(), r.truePairs(), r.banding().bands(), r.banding().rows(),
                r.verified().precision(), r.verified().recall(), r.minHashAlone().precision(),
                r.minHashAlone().recall());
        assertTrue(r.truePairs() > 300, "the labelled set has enough positives: " + r.truePairs());
        assertTrue(r.verified().precision() >= 0.95 && r.verified().recall() >= 0.95, r.verified().toString());
        assertTrue(r.minHashAlone().precision() >= 0.85 && r.minHashAlone().recall() >= 0.85, r.minHashAlone().toString());
    }

    @Test
    void theLabelledSetHoldsExactlyTheAskedCopiesAndIsReproducible() {
        List<String> a = LabelledNearDuplicates.generate(37, 7);
        assertEquals(a, LabelledNearDuplicates.generate(37, 7));
        assertTrue(a.size() > 37 && a.size() <= 2 * 37, "bases come on top of the copies: " + a.size());
    }
}
