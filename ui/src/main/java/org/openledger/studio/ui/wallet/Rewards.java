package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.rewards.RewardsApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.staking.RewardClaim;

/**
 * The selected account's rewards: what it can claim now, from the active node's proof for its newest posted epoch
 * (read on a background task), and claiming it through the wallet's own review ({@link ReviewedCalls}): the proof is
 * checked off the FX thread (it verifies, its root is the distributor's, the contract would pay), then reviewed, signed
 * and broadcast like any other transaction; the amount paid comes from the mined {@code Claimed} event.
 */
public final class Rewards {

    /** How long the wallet's watcher waits for the claim to be mined. */

    private final ActiveNode<? extends RewardsApi> node;
    private final BackgroundTasks tasks;
    private final ReviewedCalls wallet;
    private final ReadOnlyObjectProperty<Account> selected;
    private final ObjectProperty<RewardProof> proof = new SimpleObjectProperty<>();
    private final StringProperty claimable = new SimpleStringProperty("–");
    private final StringProperty detail = new SimpleStringProperty("");
    private final StringProperty outcome = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private long reads;

    /**
     * The rewards of the account in {@code selected} (the wallet's selection, or another section's choice among its
     * accounts), claimed through {@code wallet}'s review: only while it is the account unlocked there.
     */
    public Rewards(ActiveNode<? extends RewardsApi> node, BackgroundTasks tasks, ReviewedCalls wallet,
                   ReadOnlyObjectProperty<Account> selected) {
        this.node = node;
        this.tasks = tasks;
        this.wallet = wallet;
        this.selected = selected;
    }

    /** What the selected account can claim now, e.g. "12.5 OPEN"; "–" when unknown. */
    public StringProperty claimableProperty() {
        return claimable;
    }

    /** The epoch, cumulative and already claimed amounts, or why there is nothing. */
    public StringProperty detailProperty() {
        return detail;
    }

    /** What the last claim did or is doing; empty before the first. */
    public StringProperty outcomeProperty() {
        return outcome;
    }

    /** The node's newest proof for the selected account; null when it has none. */
    public ObjectProperty<RewardProof> proofProperty() {
        return proof;
    }

    /** True from checking a claim until it is mined or the review is left. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** Whether the proof shows something to claim. */
    public boolean hasClaimable() {
        RewardProof p = proof.get();
        return p != null && new BigInteger(p.claimableWei()).signum() > 0;
    }

    /** Reads the selected account's proof from the active node (off the FX thread). */
    public void refresh() {
        Account a = selected.get();
        Optional<? extends RewardsApi> n = node.get();
        long read = ++reads;
        proof.set(null);
        claimable.set("–");
        if (a == null) {
            detail.set("");
            return;
        }
        if (n.isEmpty()) {
            detail.set("No node is connected: rewards come from the active node");
            return;
        }
        Address address = a.address();
        tasks.create("Reading rewards", p -> n.get().rewardProof(address.toString())).onSuccess(p -> {
            if (read != reads) {
                return;
            }
            proof.set(p);
            claimable.set(WalletViewModel.format(new BigInteger(p.claimableWei())) + " OPEN");
            detail.set("Epoch " + p.epoch() + ": " + WalletViewModel.format(new BigInteger(p.cumulativeWei()))
                    + " OPEN earned in all, " + WalletViewModel.format(new BigInteger(p.claimedWei()))
                    + " OPEN claimed");
        }).onError(e -> {
            if (read != reads) {
                return;
            }
            if (e instanceof NodeClientException nce && nce.status() == 404) {
                claimable.set("0 OPEN");
                detail.set(nce.error() != null && nce.error().error() != null ? nce.error().error().message()
                        : "The node has no rewards for " + address);
            } else {
                detail.set("Cannot read rewards: " + e.getMessage());
            }
        }).start();
    }

    /** Checks the claim off the FX thread, then opens the wallet's review of it. */
    public void claim() {
        RewardProof p = proof.get();
        if (busy.get()) {
            return;
        }
        if (p == null || !hasClaimable()) {
            outcome.set("Nothing to claim");
            return;
        }
        Optional<ChainInfo> chain = wallet.readyChain();
        if (chain.isEmpty()) {
            outcome.set("Claiming needs the active node's chain to be ready (see the status bar)");
            return;
        }
        Address from;
        try {
            from = wallet.unlockedAccount();
        } catch (IllegalStateException e) {
            outcome.set(e.getMessage().replace("to sign it", "to claim"));
            return;
        }
        if (!from.toString().equalsIgnoreCase(p.account())) {
            outcome.set("Select and unlock " + p.account() + " in Wallet & Staking to claim its rewards");
            return;
        }
        busy.set(true);
        outcome.set("Checking the claim…");
        tasks.create("Checking the reward claim", x -> {
            RewardClaim claims = new RewardClaim(wallet.client(chain.get()), chain.get().contracts());
            return new Prepared(claims, claims.request(from, RewardClaim.Proof.parse(p.account(), p.epoch(),
                    p.cumulativeWei(), p.proof(), p.root())));
        }).onSuccess(prep -> {
            outcome.set("Review the claim below: Sign, then Broadcast.");
            AtomicReference<RewardClaim.Claimed> done = new AtomicReference<>();
            RewardClaim.Call call = prep.request().call();
            String description = "Claim " + WalletViewModel.exact(prep.request().amount()) + " OPEN of rewards (epoch "
                    + p.epoch() + ")";
            wallet.start(List.of(new ReviewedCalls.Call(description, call.to(), call.data(),
                    (outbox, tx) -> prep.claims().settle(outbox, tx, ReviewedCalls.SETTLE_TIMEOUT, done::set))), () -> {
                busy.set(false);
                RewardClaim.Claimed c = done.get();
                refresh();
                outcome.set(c != null ? "Received " + WalletViewModel.exact(c.amount()) + " OPEN in block " + c.block()
                        : "Not claimed: the review was cancelled or failed (the message above says why)");
            });
        }).onError(e -> {
            busy.set(false);
            outcome.set(e.getMessage());
        }).start();
    }

    private record Prepared(RewardClaim claims, RewardClaim.Request request) {
    }
}
