package org.openledger.studio.gpu.generate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Waiting requests, one queue per adapter, served by deficit round robin over tokens (Shreedhar and Varghese,
 * 1995): each turn an adapter's queue earns {@code quantum} tokens of credit and may send requests while its
 * credit covers their cost (prompt + max_tokens). One hot adapter with a thousand requests waiting then gets
 * its share of admissions, and every other adapter with work waiting gets its own, whatever their arrival order.
 * Not thread-safe: the scheduler guards it.
 *
 * @param <T> what waits
 */
final class FairQueue<T> {

    private record Entry<T>(T item, long cost) {
    }

    private final long quantum;
    /** Adapters with work waiting, in round-robin order; the head is the one whose turn it is. */
    private final Map<String, Deque<Entry<T>>> queues = new LinkedHashMap<>();
    private final Map<String, Long> credit = new HashMap<>();
    private final Map<T, String> keyOf = new HashMap<>();
    private int size;

    FairQueue(long quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1");
        }
        this.quantum = quantum;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(String key, T item, long cost) {
        queues.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Entry<>(item, cost));
        keyOf.put(item, key);
        size++;
    }

    /** The next request by deficit round robin, or null when none waits. */
    T poll() {
        while (size > 0) {
            Iterator<Map.Entry<String, Deque<Entry<T>>>> it = queues.entrySet().iterator();
            Map.Entry<String, Deque<Entry<T>>> head = it.next();
            String key = head.getKey();
            Deque<Entry<T>> q = head.getValue();
            long have = credit.getOrDefault(key, 0L);
            Entry<T> first = q.peekFirst();
            if (have >= first.cost()) {
                q.pollFirst();
                size--;
                keyOf.remove(first.item());
                if (q.isEmpty()) {
                    it.remove();
                    credit.remove(key); // an idle adapter banks no credit (DRR's rule)
                } else {
                    credit.put(key, have - first.cost());
                }
                return first.item();
            }
            // its turn is over: it earns a quantum and goes to the back
            credit.put(key, have + quantum);
            it.remove();
            queues.put(key, q);
        }
        return null;
    }

    /** Puts back a request just polled that could not be admitted yet: first in its queue, its cost refunded. */
    void unpoll(String key, T item, long cost) {
        Deque<Entry<T>> q = queues.get(key);
        if (q == null) {
            // it becomes the head again: re-insert it in front of the ring
            Map<String, Deque<Entry<T>>> rest = new LinkedHashMap<>(queues);
            queues.clear();
            q = new ArrayDeque<>();
            queues.put(key, q);
            queues.putAll(rest);
        }
        q.addFirst(new Entry<>(item, cost));
        keyOf.put(item, key);
        credit.merge(key, cost, Long::sum);
        size++;
    }

    /** Takes a request out wherever it waits (its client went away); false when it no longer waits. */
    boolean remove(T item) {
        String key = keyOf.remove(item);
        if (key == null) {
            return false;
        }
        Deque<Entry<T>> q = queues.get(key);
        q.removeIf(e -> e.item() == item);
        size--;
        if (q.isEmpty()) {
            queues.remove(key);
            credit.remove(key);
        }
        return true;
    }

    /** Every waiting request, removed (for shutdown). */
    java.util.List<T> drain() {
        java.util.List<T> out = new java.util.ArrayList<>();
        queues.values().forEach(q -> q.forEach(e -> out.add(e.item())));
        queues.clear();
        credit.clear();
        keyOf.clear();
        size = 0;
        return out;
    }
}
