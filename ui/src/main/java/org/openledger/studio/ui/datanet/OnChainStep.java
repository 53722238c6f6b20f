package org.openledger.studio.ui.datanet;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.datanet.onchain.ChainRef;
import org.openledger.studio.datanet.onchain.DatanetChain;
import org.openledger.studio.datanet.onchain.OnChainDatanet;
import org.openledger.studio.datanet.onchain.OnChainRecords;
import org.openledger.studio.datanet.onchain.OnChainStatus;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.wallet.ReviewedCalls;
import org.openledger.studio.wallet.Address;

/**
 * The on-chain step of the Datanets section (the engine is datanet-client's {@link DatanetChain}): publishing a
 * Datanet and submitting an uploaded contribution, each through the wallet's review, and the contributions' chain
 * status as the workspace recorded it and the chain has it now. Reports through the section's message and error.
 */
final class OnChainStep {

    /** How long the on-chain step waits for a receipt. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final Workspace workspace;
    /** The wallet's reviewed sending; null where the studio has no wallet. */
    private final ReviewedCalls chain;
    private final BackgroundTasks tasks;
    private final OnChainRecords records;
    private final StringProperty message;
    private final StringProperty error;
    private final Runnable reload;
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    /** @param reload reads the section's rows and history again once a step is done */
    OnChainStep(Workspace workspace, ReviewedCalls chain, BackgroundTasks tasks, StringProperty message,
                StringProperty error, Runnable reload) {
        this.workspace = workspace;
        this.chain = chain;
        this.tasks = tasks;
        this.records = new OnChainRecords(workspace, Clock.systemUTC());
        this.message = message;
        this.error = error;
        this.reload = reload;
    }

    /** Whether a publish or submit is being checked or under review. */
    BooleanProperty busyProperty() {
        return busy;
    }

    boolean available() {
        return chain != null;
    }

    /** The active chain, when the wallet says it is ready; asked on the FX thread before work starts. */
    Optional<ChainInfo> readyChain() {
        return chain == null ? Optional.empty() : chain.readyChain();
    }

    /** The Datanet's id on {@code c} when it is published there. */
    Optional<BigInteger> onChainId(Optional<ChainInfo> c, long datanetId) {
        return c.filter(x -> x.contracts().containsKey("DatanetRegistry"))
                .flatMap(x -> records.datanet(datanetId, ref(x)))
                .map(OnChainDatanet::onChainId);
    }

    /**
     * The chain status of the Datanet's contributions by upload id: the workspace's record, brought up to date from
     * {@code c} when there is one (pending ones mined meanwhile, confirmed ones challenged since). Call off the FX
     * thread.
     */
    Map<Long, OnChainStatus> statuses(Optional<ChainInfo> c, long datanetId) {
        Map<Long, OnChainStatus> statuses = records.statuses(datanetId);
        if (c.isPresent() && !statuses.isEmpty()) {
            try {
                return datanetChain(c.get()).refresh(datanetId);
            } catch (RuntimeException e) {
                // the chain is unreachable: the workspace's last word is shown
            }
        }
        return statuses;
    }

    /**
     * Publishes {@code d} on the active chain ({@code DatanetRegistry.createDatanet}) through the wallet's review;
     * the on-chain id is kept in the workspace once mined.
     */
    void publish(Datanet d) {
        Optional<ChainInfo> c = readyChainOrSay();
        if (d == null || c.isEmpty()) {
            return;
        }
        busy.set(true);
        error.set("");
        tasks.create("Checking " + d.name() + " for publishing", p -> {
            DatanetChain dc = datanetChain(c.get());
            DatanetChain.Call call = dc.publish(d.id());
            return List.of(new ReviewedCalls.Call(call.description(), call.to(), call.data(), (outbox, hash) -> {
                var receipt = outbox.settle(hash, SETTLE_TIMEOUT);
                dc.recordPublished(d.id(), receipt);
                return receipt;
            }));
        }).onSuccess(calls -> chain.start(calls, () -> {
            busy.set(false);
            records.datanet(d.id(), ref(c.get())).ifPresent(p -> message.set("Published " + d.name()
                    + " as Datanet " + p.onChainId() + " on chain " + p.chain().chainId()));
            reload.run();
        })).onError(e -> {
            busy.set(false);
            fail(e);
        }).start();
    }

    /**
     * Submits an uploaded contribution on chain ({@code DatanetRegistry.contribute} with its Merkle root and row
     * count), staking {@code stakeOpen} OPEN behind it when given (the StakingVault approved first), through the
     * wallet's review: each transaction reviewed, then signed, then broadcast by the user.
     */
    void submit(long uploadId, String stakeOpen) {
        Optional<ChainInfo> c = readyChainOrSay();
        if (c.isEmpty()) {
            return;
        }
        BigInteger stake;
        try {
            stake = stakeOpen == null || stakeOpen.isBlank() ? BigInteger.ZERO
                    : org.openledger.studio.wallet.Open.parse(stakeOpen).wei();
        } catch (org.openledger.studio.wallet.Open.InvalidAmountException e) {
            error.set("The stake must be a number of OPEN with at most 18 decimals, not '" + stakeOpen + "'");
            return;
        }
        Address from;
        try {
            from = chain.unlockedAccount();
        } catch (IllegalStateException e) {
            error.set(e.getMessage());
            return;
        }
        busy.set(true);
        error.set("");
        tasks.create("Checking contribution " + uploadId + " for submitting", p -> {
            DatanetChain dc = datanetChain(c.get());
            DatanetChain.Submission sub = dc.submission(uploadId, from, stake);
            List<ReviewedCalls.Call> calls = new ArrayList<>();
            for (DatanetChain.Call call : sub.calls()) {
                ReviewedCalls.Settle settle = call == sub.contribute() ? (outbox, hash) -> {
                    dc.recordBroadcast(sub, hash);
                    return dc.settle(uploadId, outbox, hash, SETTLE_TIMEOUT);
                } : null;
                calls.add(new ReviewedCalls.Call(call.description(), call.to(), call.data(), settle));
            }
            return calls;
        }).onSuccess(calls -> chain.start(calls, () -> {
            busy.set(false);
            OnChainStatus s = records.status(uploadId);
            message.set("Contribution " + uploadId + " on chain: " + s.describe());
            reload.run();
        })).onError(e -> {
            busy.set(false);
            fail(e);
        }).start();
    }

    private Optional<ChainInfo> readyChainOrSay() {
        Optional<ChainInfo> c = readyChain();
        if (c.isEmpty()) {
            error.set("The on-chain step needs the active node's chain to be ready and a wallet (Wallet & Staking)");
        }
        return c;
    }

    private DatanetChain datanetChain(ChainInfo c) {
        return new DatanetChain(workspace, chain.client(c), c.contracts(), Clock.systemUTC());
    }

    private static ChainRef ref(ChainInfo c) {
        return new ChainRef(c.chainId(), c.contracts().get("DatanetRegistry"));
    }

    private void fail(Throwable e) {
        error.set(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
