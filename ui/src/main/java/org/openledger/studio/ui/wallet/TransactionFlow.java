package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.PendingTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;

/**
 * The reviewed-transaction flow of Wallet &amp; Staking, which staking, rewards and other sections (Datanets) send
 * their calls through: prepare and show the review, change its fee level, sign, broadcast, watch until mined; send
 * or discard a transaction saved but never sent; speed up or cancel a pending one.
 */
final class TransactionFlow implements ReviewedCalls {

    static final Settle DEFAULT_SETTLE = (outbox, hash) -> outbox.settle(hash, SETTLE_TIMEOUT);

    private final WalletContext ctx;
    private final WalletHistory history;
    private final Runnable refreshAll;
    private final ObjectProperty<PendingReview> pending = new SimpleObjectProperty<>();

    /** @param refreshAll re-reads balances, stakes, rewards and history once a transaction settles */
    TransactionFlow(WalletContext ctx, WalletHistory history, Runnable refreshAll) {
        this.ctx = ctx;
        this.history = history;
        this.refreshAll = refreshAll;
    }

    /** The transaction under review, signed or not yet; null when none. */
    ObjectProperty<PendingReview> pendingProperty() {
        return pending;
    }

    /** Encodes a call's data once the session is known. */
    interface CallData {
        String encode(ChainSession s) throws Exception;
    }

    void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Runnable next) {
        prepare(c, from, to, description, data, DEFAULT_SETTLE, next, () -> { });
    }

    private void prepare(ChainInfo c, Address from, Address to, String description, CallData data, Settle settle,
                         Runnable next, Runnable failed) {
        ctx.run("Preparing: " + description, () -> {
            ChainSession s = ctx.session(c);
            byte[] payload = HexFormat.of().parseHex(data.encode(s).substring(2));
            FeeSuggestion.Speed speed = FeeSuggestion.Speed.NORMAL;
            TransactionRequest r = s.outbox.prepare(from, to, BigInteger.ZERO, payload, speed);
            FeeSuggestion fees = s.outbox.fees();
            PendingReview.Refee refee = (x, fee) -> r.withFees(fee.maxFeePerGas(), fee.maxPriorityFeePerGas());
            return new PendingReview(description, from, r, s.outbox.review(from, r, s.decoder), null, next,
                    c.network(), speed, fees, refee, null, settle, failed);
        }, pending::set, failed);
    }

    /**
     * Changes the fee level of the transaction under review (before it is signed): the fees come from the same
     * {@code eth_feeHistory} answer, and the review (maximum cost, balance warning) is worked out again.
     */
    void changeSpeed(FeeSuggestion.Speed speed) {
        PendingReview p = pending.get();
        if (p == null || p.signed() != null || p.speed() == speed) {
            return;
        }
        ctx.run("Fee level: " + speed.name().toLowerCase(Locale.ROOT), () -> {
            ChainSession s = ctx.session(ctx.chainInfo());
            TransactionRequest r = p.refee().apply(s, p.fees().level(speed));
            return p.withRequest(r, s.outbox.review(p.from(), r, s.decoder), speed);
        }, pending::set);
    }

    // ---- reviewed calls for other sections ----

    @Override
    public Optional<ChainInfo> readyChain() {
        ChainInfo c = ctx.chainInfo();
        return c != null && c.isReady() ? Optional.of(c) : Optional.empty();
    }

    @Override
    public Address unlockedAccount() {
        Account a = ctx.selected.get();
        if (a != null && !a.canSign()) {
            throw new IllegalStateException(WalletViewModel.WATCH_ONLY_REASON);
        }
        if (a == null || !ctx.wallet.isUnlocked(a.address())) {
            throw new IllegalStateException("Select and unlock an account in Wallet & Staking to sign it");
        }
        return a.address();
    }

    @Override
    public ChainClient client(ChainInfo c) {
        return ctx.session(c).client;
    }

    @Override
    public void start(List<Call> calls, Runnable finished) {
        if (calls.isEmpty()) {
            finished.run();
            return;
        }
        ChainInfo c = readyChain().orElse(null);
        if (c == null) {
            ctx.message.set("The chain is not ready");
            finished.run();
            return;
        }
        Address from;
        try {
            from = unlockedAccount();
        } catch (IllegalStateException e) {
            ctx.message.set(e.getMessage());
            finished.run();
            return;
        }
        Call first = calls.get(0);
        List<Call> rest = calls.subList(1, calls.size());
        prepare(c, from, first.to(), first.description(), s -> "0x" + HexFormat.of().formatHex(first.data()),
                first.settle() == null ? DEFAULT_SETTLE : first.settle(),
                rest.isEmpty() ? finished : () -> start(rest, finished), finished);
    }

    // ---- sign, broadcast, watch ----

    /** Signs the reviewed transaction (nothing is sent yet). */
    void sign() {
        PendingReview p = pending.get();
        if (p == null || p.signed() != null) {
            return;
        }
        ctx.run("Signing", () -> ctx.session(ctx.chainInfo()).outbox.sign(p.from(), p.request(), p.description()),
                signed -> pending.set(p.withSigned(signed)), () -> { });
    }

    /**
     * Sends the signed transaction; the review closes as soon as a node accepted it, and a watcher (which keeps no
     * button disabled) waits for it or its replacement to be mined. A transaction still pending after
     * {@link #SETTLE_TIMEOUT} stays in the history, where it can be sped up or cancelled.
     */
    void broadcast() {
        PendingReview p = pending.get();
        if (p == null || p.signed() == null) {
            return;
        }
        ChainInfo c = ctx.chainInfo();
        ctx.run("Broadcasting", () -> ctx.session(c).outbox.broadcast(p.signed()), hash -> {
            pending.set(null);
            ctx.message.set(p.description() + ": sent (" + hash + "), waiting for it to be mined");
            history.refresh();
            watch(c, p, hash);
        });
    }

    /**
     * Waits for a broadcast transaction off the FX thread. The wallet's own transactions wait for it or a replacement
     * (speed-up, cancel) to be mined; a call another section sent waits through its own {@link Settle} (which may
     * record it as pending first). Then the next step runs, or {@code failed} when it reverted, was cancelled or
     * timed out.
     */
    private void watch(ChainInfo c, PendingReview p, String hash) {
        if (p.settle() != null && p.settle() != DEFAULT_SETTLE) {
            ctx.tasks.create("Waiting for " + shortHash(hash), progress -> p.settle().settle(ctx.session(c).outbox,
                    hash)).onSuccess(receipt -> {
                        ctx.message.set(p.description() + ": mined (" + receipt.getTransactionHash() + ")");
                        p.next().run();
                        refreshAll.run();
                    }).onError(e -> {
                        ctx.message.set(p.description() + ": " + e.getMessage());
                        p.failed().run();
                        refreshAll.run();
                    }).start();
            return;
        }
        ctx.tasks.create("Waiting for " + shortHash(hash), progress -> ctx.session(c).outbox.awaitSettled(hash,
                SETTLE_TIMEOUT)).onSuccess(mined -> {
                    boolean replaced = !mined.hash().equals(hash);
                    if (mined.status() == PendingTransaction.Status.FAILED) {
                        ctx.message.set(p.description() + ": reverted (" + mined.hash() + "): " + mined.reason());
                        p.failed().run();
                    } else if (replaced && mined.description().startsWith("cancel of ")) {
                        ctx.message.set(p.description() + ": cancelled (" + mined.hash() + " was mined instead)");
                        p.failed().run();
                    } else {
                        ctx.message.set(p.description() + ": mined (" + mined.hash() + ")");
                        p.next().run();
                    }
                    refreshAll.run();
                }).onError(e -> {
                    ctx.message.set(p.description() + ": " + e.getMessage());
                    p.failed().run();
                    history.refresh();
                }).start();
    }

    /**
     * Closes the review; a transaction signed but not sent is given up (its nonce is free for the next one), and the
     * section that asked for it (Datanets) is told it ended.
     */
    void cancelReview() {
        PendingReview p = pending.get();
        pending.set(null);
        if (p != null) {
            p.failed().run();
        }
        if (p != null && p.signed() != null) {
            ChainInfo c = ctx.chainInfo();
            ctx.run("Discarding the signed transaction", () -> {
                ctx.session(c).outbox.discard(p.signed().hash());
                return p;
            }, x -> history.refresh());
        }
    }

    // ---- saved transactions never sent: send or discard ----

    /** True while {@code hash} is the signed transaction of the open review (its Broadcast button sends it). */
    boolean isUnderReview(String hash) {
        PendingReview p = pending.get();
        return p != null && p.signed() != null && p.signed().hash().equals(hash);
    }

    /**
     * Sends a transaction signed and saved but never handed to a node (the studio stopped between signing and
     * broadcasting, or the node was unreachable): its saved bytes as they are, then waits for it to be mined.
     */
    void sendSaved(String hash) {
        ChainInfo c = ctx.chainInfo();
        ctx.run("Sending " + shortHash(hash), () -> {
            ChainSession s = ctx.session(c);
            return s.outbox.broadcast(s.outbox.unsent(hash));
        }, sent -> {
            ctx.message.set("Sent " + shortHash(sent) + ", waiting for it to be mined");
            history.refresh();
            ctx.tasks.create("Waiting for " + shortHash(sent), progress -> ctx.session(c).outbox.awaitSettled(sent,
                    SETTLE_TIMEOUT)).onSuccess(mined -> {
                        ctx.message.set(mined.status() == PendingTransaction.Status.FAILED
                                ? "Reverted (" + mined.hash() + "): " + mined.reason()
                                : "Mined (" + mined.hash() + ")");
                        refreshAll.run();
                    }).onError(e -> {
                        ctx.message.set(shortHash(sent) + ": " + e.getMessage());
                        refreshAll.run();
                    }).start();
        }, history::refresh);
    }

    /** Gives up a saved transaction that was never sent; its nonce goes to the next one. */
    void discardSaved(String hash) {
        ChainInfo c = ctx.chainInfo();
        ctx.run("Discarding " + shortHash(hash), () -> {
            ChainSession s = ctx.session(c);
            s.outbox.unsent(hash);
            s.outbox.discard(hash);
            return hash;
        }, h -> {
            ctx.message.set("Discarded " + shortHash(h) + ": it will never be sent");
            history.refresh();
        });
    }

    // ---- pending transactions: speed up, cancel ----

    /** Reviews a replacement of pending {@code hash} with the same call and higher fees (fast by default). */
    void startSpeedUp(String hash) {
        startReplacement(hash, "Speed up " + shortHash(hash), (s, fee) -> s.outbox.speedUpRequest(hash, fee));
    }

    /** Reviews a replacement of pending {@code hash} that does nothing (0 to oneself), with higher fees. */
    void startCancel(String hash) {
        startReplacement(hash, "Cancel " + shortHash(hash), (s, fee) -> s.outbox.cancelRequest(hash, fee));
    }

    private void startReplacement(String hash, String description, PendingReview.Refee build) {
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        if (a == null || !a.canSign()) {
            ctx.message.set("Only an account of this wallet that can sign can replace its transactions");
            return;
        }
        ctx.run("Preparing: " + description, () -> {
            ChainSession s = ctx.session(c);
            FeeSuggestion fees = s.outbox.fees();
            FeeSuggestion.Speed speed = FeeSuggestion.Speed.FAST;
            TransactionRequest r = build.apply(s, fees.level(speed));
            return new PendingReview(description, a.address(), r, s.outbox.review(a.address(), r, s.decoder), null,
                    () -> { }, c.network(), speed, fees, build, hash, DEFAULT_SETTLE, () -> { });
        }, pending::set);
    }

    static String shortHash(String hash) {
        return hash.length() > 14 ? hash.substring(0, 10) + "…" + hash.substring(hash.length() - 4) : hash;
    }
}
