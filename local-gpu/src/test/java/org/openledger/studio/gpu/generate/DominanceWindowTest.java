package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which adapter is merged as its share of the rows moves: thresholds, hysteresis, window, base rows. */
class DominanceWindowTest {

    /** {@code a} rows of "A", {@code b} of "B" and {@code base} base rows in one step. */
    private static List<String> step(int a, int b, int base) {
        List<String> rows = new ArrayList<>(Collections.nCopies(a, "A"));
        rows.addAll(Collections.nCopies(b, "B"));
        rows.addAll(Collections.nCopies(base, null));
        return rows;
    }

    @Test
    void mergesAboveTheUpperShareOnceTheWindowIsFullAndKeepsItDownToTheLower() {
        DominanceWindow<String> w = new DominanceWindow<>(new Merging(4, 0.8, 0.6, 1));
        String merged = null;
        for (int s = 0; s < 3; s++) {
            w.record(step(9, 1, 0));
            merged = w.decide(merged);
            assertNull(merged, "the window is not full yet after " + (s + 1) + " steps");
        }
        w.record(step(9, 1, 0));
        merged = w.decide(merged);
        assertEquals("A", merged, "90% of the rows over a full window");
        // 70%: between the thresholds, stays merged (a fresh window at 70% would not merge)
        for (int s = 0; s < 4; s++) {
            w.record(step(7, 3, 0));
            merged = w.decide(merged);
            assertEquals("A", merged);
        }
        assertEquals(0.7, w.share("A"), 1e-12);
        assertNull(w.decide(null), "70% does not reach the merge threshold");
        // 50%: below the lower threshold once the window has moved on
        w.record(step(5, 5, 0));
        w.record(step(5, 5, 0));
        merged = w.decide(merged);
        assertEquals(0.6, w.share("A"), 1e-12);
        assertEquals("A", merged, "exactly the lower threshold keeps it");
        w.record(step(5, 5, 0));
        merged = w.decide(merged);
        assertNull(merged);
    }

    @Test
    void baseRowsCountAndTheDominantAdapterCanChange() {
        DominanceWindow<String> w = new DominanceWindow<>(new Merging(2, 0.75, 0.5, 1));
        w.record(step(8, 0, 2));
        w.record(step(8, 0, 2));
        assertEquals(0.8, w.share("A"), 1e-12);
        String merged = w.decide(null);
        assertEquals("A", merged);
        w.record(step(0, 10, 0));
        w.record(step(0, 10, 0));
        assertEquals(0, w.share("A"), 1e-12);
        merged = w.decide(merged);
        assertEquals("B", merged, "A fell out of the window; B holds every row");
        w.record(step(0, 0, 10));
        w.record(step(0, 0, 10));
        assertNull(w.decide(merged), "only base rows: nothing to merge");
        assertEquals(0, w.share("B"), 1e-12);
    }
}
