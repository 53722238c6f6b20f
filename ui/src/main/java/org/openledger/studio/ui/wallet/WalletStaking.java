package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Open;
import org.openledger.studio.wallet.staking.StakePosition;
import org.openledger.studio.wallet.staking.Staking;
import org.web3j.utils.Numeric;

/**
 * Staking in Wallet &amp; Staking: stake, unstake and withdraw (built by the wallet's {@link Staking} engine piece,
 * as the CLI's, and sent through the {@link TransactionFlow}), the selected account's positions, and the chain's
 * clock that the cooldown timers count from.
 */
final class WalletStaking {

    /** Seconds between re-reads of the chain while a cooldown runs or a transaction is pending. */
    static final int REREAD_TICKS = 10;

    private final WalletContext ctx;
    private final TransactionFlow flow;
    private final WalletHistory history;
    private final Runnable refreshBalances;
    private final ObservableList<StakePosition> positions = FXCollections.observableArrayList();
    private final ObjectProperty<Instant> chainNow = new SimpleObjectProperty<>();
    private volatile Stakes chainAnchor;
    private long ticks;

    /** Positions read together with the chain's clock and the local moment of the read. */
    private record Stakes(List<StakePosition> positions, Instant chainTime, long readAtNanos) {
    }

    WalletStaking(WalletContext ctx, TransactionFlow flow, WalletHistory history, Runnable refreshBalances) {
        this.ctx = ctx;
        this.flow = flow;
        this.history = history;
        this.refreshBalances = refreshBalances;
    }

    ObservableList<StakePosition> positions() {
        return positions;
    }

    ObjectProperty<Instant> chainNowProperty() {
        return chainNow;
    }

    /**
     * Starts staking {@code amountOpen} OPEN behind {@code target} (32 bytes hex) of {@code kind} (0 Datanet, 1 model,
     * 2 node): the approval first when the allowance does not cover the stake, then the stake, each reviewed, signed
     * and broadcast separately.
     */
    void startStake(String amountOpen, int kind, String target) {
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        BigInteger amount = amount(amountOpen);
        byte[] targetBytes = target(target);
        if (amount == null || targetBytes == null) {
            return;
        }
        if (a == null || !ctx.hasContract(c, "StakingVault")) {
            ctx.message.set("Staking needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        Address token = Address.parse(c.contracts().get("OpenToken"));
        ctx.run("Reading the staking vault's allowance", () -> Staking.stake(Staking.allowance(ctx.session(c).client,
                token, a.address(), vault), token, vault, BigInteger.valueOf(kind), targetBytes, amount),
                calls -> prepareAll(c, a.address(), calls, amountOpen));
    }

    /** Reviews each call in turn (the next once the one before is mined), then refreshes the balances. */
    private void prepareAll(ChainInfo c, Address from, List<Staking.Call> calls, String amountOpen) {
        if (calls.isEmpty()) {
            refreshBalances.run();
            return;
        }
        Staking.Call call = calls.get(0);
        String what = switch (call.step()) {
            case APPROVE -> "Approve the staking vault to take " + amountOpen + " OPEN";
            case STAKE -> "Stake " + amountOpen + " OPEN";
            case REQUEST_UNSTAKE -> "Request to unstake " + amountOpen + " OPEN (withdraw after the cooldown)";
            case WITHDRAW -> "Withdraw";
        };
        flow.prepare(c, from, call.to(), what, s -> Numeric.toHexString(call.data()),
                () -> prepareAll(c, from, calls.subList(1, calls.size()), amountOpen));
    }

    /**
     * Starts asking to unstake {@code amountOpen} OPEN from {@code target}: reviewed, signed and broadcast like a stake;
     * the OPEN can be withdrawn once the vault's cooldown is over.
     */
    void startUnstake(String amountOpen, int kind, String target) {
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        BigInteger amount = amount(amountOpen);
        byte[] targetBytes = target(target);
        if (amount == null || targetBytes == null) {
            return;
        }
        if (a == null || !ctx.hasContract(c, "StakingVault")) {
            ctx.message.set("Unstaking needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        prepareAll(c, a.address(), List.of(Staking.requestUnstake(vault, BigInteger.valueOf(kind), targetBytes,
                amount)), amountOpen);
    }

    /** Reviews the withdrawal of everything unbonding in {@code position} (enabled once its cooldown is over). */
    void startWithdraw(StakePosition position) {
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        if (a == null || !ctx.hasContract(c, "StakingVault")) {
            ctx.message.set("Withdrawing needs a ready chain with the OPEN contracts");
            return;
        }
        Address vault = Address.parse(c.contracts().get("StakingVault"));
        flow.prepare(c, a.address(), vault, "Withdraw " + WalletViewModel.format(position.unbonding()) + " OPEN from "
                + position.kindName() + " " + TransactionFlow.shortHash(position.targetHex()),
                s -> Numeric.toHexString(Staking.withdraw(vault, position.kind().code(), position.target()).data()),
                () -> { });
    }

    /**
     * Reads the selected account's positions in the staking vault and the chain's clock (the latest block's
     * timestamp), which the cooldown timers count from; {@link #tick()} moves that clock on between reads.
     */
    void refresh() {
        if (ctx.closed()) {
            return;
        }
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        if (a == null || !ctx.hasContract(c, "StakingVault")) {
            positions.clear();
            return;
        }
        ctx.tasks.create("Reading stakes", progress -> {
            ChainSession s = ctx.session(c);
            return new Stakes(s.positions().of(a.address()), s.client.latestBlockTime(), System.nanoTime());
        }).onSuccess(st -> {
            if (a.equals(ctx.selected.get())) {
                chainAnchor = st;
                positions.setAll(st.positions());
                tick();
            }
        }).onError(e -> ctx.message.set("Reading the stakes failed: " + e.getMessage())).start();
    }

    /**
     * Moves the chain clock on by the local time since the last read: blocks carry the time their producer gave them,
     * so between reads the chain's next block time is the last block time plus the time elapsed. Called every second
     * from the view's timer; also re-reads the chain every {@code REREAD_TICKS} ticks while something is unbonding or
     * pending, so a timer never runs on a stale clock for long.
     */
    void tick() {
        if (ctx.closed()) {
            return;
        }
        Stakes anchor = chainAnchor;
        if (anchor != null) {
            chainNow.set(anchor.chainTime().plusNanos(System.nanoTime() - anchor.readAtNanos()));
        }
        if (++ticks % REREAD_TICKS == 0 && !ctx.busy.get()) {
            boolean waiting = positions.stream().anyMatch(p -> p.unbonding().signum() > 0) || history.anyPending();
            if (waiting) {
                refresh();
                history.refresh();
            }
        }
    }

    /** What a countdown shows: the time left until {@code unlockAt} on the chain's clock, or that it is over. */
    static String countdown(Instant unlockAt, Instant chainNow) {
        if (chainNow == null) {
            return "…";
        }
        long left = Duration.between(chainNow, unlockAt).getSeconds();
        if (left <= 0) {
            return "ready to withdraw";
        }
        long d = left / 86_400;
        long h = left % 86_400 / 3600;
        long m = left % 3600 / 60;
        long sec = left % 60;
        return (d > 0 ? d + "d " : "") + String.format("%02d:%02d:%02d", h, m, sec) + " left";
    }

    private BigInteger amount(String amountOpen) {
        try {
            BigInteger amount = Open.parse(amountOpen).wei();
            if (amount.signum() > 0) {
                return amount;
            }
        } catch (Open.InvalidAmountException e) {
            // falls through to the message
        }
        ctx.message.set("The amount must be a positive number of OPEN with at most 18 decimals");
        return null;
    }

    private byte[] target(String target) {
        try {
            String t = target.trim().startsWith("0x") ? target.trim().substring(2) : target.trim();
            byte[] bytes = HexFormat.of().parseHex(t);
            if (bytes.length == 32) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message
        }
        ctx.message.set("The target is a 32-byte id: 0x and 64 hex digits");
        return null;
    }
}
