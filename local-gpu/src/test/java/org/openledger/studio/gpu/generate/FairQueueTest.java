package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    @Test
    void aHotAdapterDoesNotStarveTheOthers() {
        FairQueue<String> q = new FairQueue<>(20);
        for (int i = 0; i < 50; i++) {
            q.add("hot", "hot" + i, 20);
        }
        q.add("b", "b0", 20);
        q.add("c", "c0", 40);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(q.poll());
        }
        // by tokens: b's 20 gets the first round after hot's, c's 40 the second
        assertEquals(List.of("hot0", "b0", "hot1", "c0", "hot2", "hot3"), order);
        assertEquals(46, q.size());
    }

    @Test
    void anUnpolledRequestIsNextAgainAndARemovedOneNeverComes() {
        FairQueue<String> q = new FairQueue<>(10);
        q.add("a", "a0", 10);
        q.add("a", "a1", 10);
        q.add("b", "b0", 10);
        String first = q.poll();
        assertEquals("a0", first);
        q.unpoll("a", first, 10);
        assertEquals("a0", q.poll());
        assertTrue(q.remove("b0"));
        assertFalse(q.remove("b0"));
        assertEquals("a1", q.poll());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }
}
