package org.openledger.studio.app.load;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;

/**
 * The adapters a soak's traffic names, changing under it: {@code k} slots, slot {@code j} drawn with the Zipf
 * weight of rank {@code j}, each holding one adapter id. Each {@link #tick} deletes the adapter of one slot chosen
 * uniformly ({@code DELETE /v1/adapters/{id}}) and, once it is gone, registers a new adapter with a fresh id into the
 * slot ({@code POST /v1/adapters}), so the node keeps {@code k} adapters while ids come and go. A delete refused
 * with 409 (a request holds or waits for the adapter) leaves the slot serving it and is tried again at the next
 * tick, before the next slot is chosen. Between a delete and the registration that refills its slot, requests
 * drawn for the slot name an adapter that no longer exists: those are the soak's clean 404s.
 *
 * <p>{@link #tick} runs on one thread at a time; {@link #model} is called by every client.
 */
final class AdapterChurn {

    /** What the churn did; {@code failures} are answers other than success or a 409 in-use refusal. */
    record Summary(int registrations, int deletions, int inUseRetries, int pendingAtEnd, int serverErrors,
                   List<String> failures, List<String> deleted) {
    }

    private final AtomicReferenceArray<String> slots;
    private final ZipfTraffic traffic;
    private final BenchAdapters adapters;
    private final NodeClient node;
    private final SplittableRandom rnd;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private int next;
    private volatile int registrations;
    private volatile int deletions;
    private volatile int inUseRetries;
    private volatile int serverErrors;

    /**
     * @param k        adapters {@code 0 .. k-1} of {@code adapters}, registered already, fill the slots
     * @param exponent the Zipf exponent of the traffic over the slots
     */
    AdapterChurn(int k, double exponent, BenchAdapters adapters, NodeClient node, long seed) {
        this.slots = new AtomicReferenceArray<>(k);
        for (int i = 0; i < k; i++) {
            slots.set(i, BenchAdapters.id(i));
        }
        this.traffic = new ZipfTraffic(k, exponent);
        this.adapters = adapters;
        this.node = node;
        this.rnd = new SplittableRandom(seed * 31 + 17);
        this.next = k;
    }

    /** The model a request names: the adapter now in a slot drawn by Zipf weight. */
    Function<SplittableRandom, String> model() {
        return r -> slots.get(traffic.next(r));
    }

    /** The slots' adapter ids now. */
    List<String> live() {
        List<String> out = new ArrayList<>(slots.length());
        for (int i = 0; i < slots.length(); i++) {
            out.add(slots.get(i));
        }
        return out;
    }

    /** One round: the deletes refused last time, then one slot chosen afresh (never one still pending). */
    void tick() {
        try {
            round();
        } catch (RuntimeException e) {
            failures.add("churn round: " + e); // recorded; the next round runs all the same
        }
    }

    private void round() {
        for (int n = pending.size(); n > 0; n--) {
            int slot = pending.poll();
            if (!replace(slot)) {
                pending.add(slot);
            }
        }
        if (pending.size() >= slots.length()) {
            return;
        }
        int slot;
        do {
            slot = rnd.nextInt(slots.length());
        } while (pending.contains(slot));
        if (!replace(slot)) {
            pending.add(slot);
        }
    }

    /** Deletes the slot's adapter and registers a new one in its place; false when the delete was refused (409). */
    private boolean replace(int slot) {
        String old = slots.get(slot);
        try {
            node.deleteAdapter(old);
        } catch (NodeClientException e) {
            if (e.status() == 409) {
                inUseRetries++;
                return false;
            }
            failed("DELETE " + old, e);
            return true; // not ours to retry: a 404 here would mean the node lost it, which is recorded
        }
        deletions++;
        deleted.add(old);
        int i = next++;
        try {
            adapters.register(i, node);
            registrations++;
            slots.set(slot, BenchAdapters.id(i));
        } catch (NodeClientException | IOException e) {
            failed("POST /v1/adapters " + BenchAdapters.id(i), e);
        }
        return true;
    }

    private void failed(String what, Exception e) {
        if (e instanceof NodeClientException n && n.status() >= 500) {
            serverErrors++;
        }
        failures.add(what + ": " + (e instanceof NodeClientException n ? n.status() + " " : "") + e.getMessage());
    }

    Summary summary() {
        return new Summary(registrations, deletions, inUseRetries, pending.size(), serverErrors, List.copyOf(failures),
                List.copyOf(deleted));
    }
}
