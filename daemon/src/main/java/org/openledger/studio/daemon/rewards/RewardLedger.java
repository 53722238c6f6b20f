package org.openledger.studio.daemon.rewards;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardEpochs;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.store.CrashPoint;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.InvalidAddressException;
import org.openledger.studio.wallet.staking.RewardTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node owes whom, and the epochs that put it on chain. Credits (account, wei of OPEN, reason) come from the
 * node's operator now and from attribution later; {@link #settle} sums every credit so far per account (cumulative
 * amounts, so one claim against the newest root pays everything owed), builds the {@link RewardTree}, makes sure the
 * {@code RewardDistributor} holds what is owed but not yet claimed (topping it up where the node may, refusing
 * otherwise), records the epoch, and only then posts its root. An epoch left {@code recorded} by a crash is finished
 * by the next settle: the chain's {@code currentEpoch} and {@code RootPosted} events say whether its root already
 * arrived, so it is never posted twice.
 */
public final class RewardLedger implements AutoCloseable {

    /** The largest single credit: a billion OPEN, far beyond any real fee, well inside uint256. */
    public static final BigInteger MAX_CREDIT_WEI = BigInteger.TEN.pow(27);
    /** How many credits one request may add. */
    public static final int MAX_CREDITS_PER_REQUEST = 10_000;
    public static final int MAX_REASON_CHARS = 500;
    /** The reason a credit gets when none is given. */
    public static final String DEFAULT_REASON = "operator credit";

    private static final Logger log = LoggerFactory.getLogger(RewardLedger.class);
    private static final Pattern WEI = Pattern.compile("[0-9]{1,78}");

    private final RewardStore store;
    private final RewardChain chain;
    private final Clock clock;
    private volatile Map.Entry<Long, RewardTree> cachedTree;

    /** Credits another part of the node computes (attribution's charged inferences), read after a position. */
    public interface CreditFeed {
        CreditFeed NONE = after -> List.of();

        /** Credits after position {@code after}, oldest first; each has a position greater than the last. */
        List<Fed> since(long after);

        /** One credit: its position in the feed, a key unique to it, and what it pays. */
        record Fed(long position, String key, String account, String amountWei, String reason) {
        }
    }

    private static final String FEED = "attribution";
    private volatile CreditFeed feed = CreditFeed.NONE;

    RewardLedger(RewardStore store, RewardChain chain, Clock clock) {
        this.store = store;
        this.chain = chain;
        this.clock = clock;
    }

    /** Takes attribution's credits in before every listing and settlement. */
    public void feedFrom(CreditFeed feed) {
        this.feed = feed;
    }

    /** Takes in the feed's new credits; each is kept once, whatever happens between two calls. */
    private synchronized void takeIn() {
        while (true) {
            long at = store.feedPosition(FEED);
            List<CreditFeed.Fed> fresh = feed.since(at);
            if (fresh.isEmpty()) {
                return;
            }
            List<RewardStore.FedCredit> parsed = new ArrayList<>();
            for (CreditFeed.Fed f : fresh) {
                try {
                    parsed.add(new RewardStore.FedCredit(f.key(), Address.parse(f.account()),
                            new BigInteger(f.amountWei()), f.reason()));
                } catch (RuntimeException e) {
                    log.warn("credit {} names no account ('{}'): not paid", f.key(), f.account());
                }
            }
            store.takeIn(FEED, fresh.get(fresh.size() - 1).position(), parsed, clock.instant());
        }
    }

    /** Opens (or creates) {@code <dataDir>/rewards.db}. */
    public static RewardLedger open(Path dataDir, RewardChain chain, Clock clock) {
        return new RewardLedger(RewardStore.open(dataDir), chain, clock);
    }

    // ---- credits --------------------------------------------------------------------------------------------------

    /**
     * Keeps the credits of {@code body} (one inline, or a list), all or none.
     *
     * @throws InvalidCreditException naming the first field that is wrong
     */
    public RewardCredits credit(CreditRequest body) {
        if (body == null) {
            throw new InvalidCreditException("account", "Give a credit: {\"account\": \"0x...\", \"amount_wei\": "
                    + "\"1000000000000000000\", \"reason\": \"...\"} or {\"credits\": [...]}");
        }
        List<RewardCredit> items;
        String prefix;
        if (body.credits() != null) {
            if (body.account() != null || body.amountWei() != null) {
                throw new InvalidCreditException("credits", "Give one credit inline or a list in credits, not both");
            }
            items = body.credits();
            prefix = "credits";
        } else {
            items = List.of(RewardCredit.of(body.account(), body.amountWei(), body.reason()));
            prefix = null;
        }
        if (items.isEmpty() || items.size() > MAX_CREDITS_PER_REQUEST) {
            throw new InvalidCreditException("credits", "Give 1 to " + MAX_CREDITS_PER_REQUEST + " credits, not "
                    + items.size());
        }
        List<RewardStore.NewCredit> parsed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            RewardCredit c = items.get(i);
            String at = prefix == null ? "" : prefix + "[" + i + "].";
            if (c == null) {
                throw new InvalidCreditException(prefix + "[" + i + "]", "A credit cannot be null");
            }
            parsed.add(new RewardStore.NewCredit(account(c.account(), at + "account"), amount(c.amountWei(),
                    at + "amount_wei"), reason(c.reason(), at + "reason")));
        }
        List<RewardStore.Credit> kept = store.add(parsed, clock.instant());
        return credits(kept);
    }

    /** Credits newest first; only {@code account}'s when not null. */
    public RewardCredits credits(String account) {
        takeIn();
        Optional<Address> a = account == null ? Optional.empty() : Optional.of(account(account, "account"));
        return credits(store.credits(a));
    }

    private static RewardCredits credits(List<RewardStore.Credit> list) {
        BigInteger total = BigInteger.ZERO;
        List<RewardCredit> out = new ArrayList<>();
        for (RewardStore.Credit c : list) {
            total = total.add(c.amount());
            out.add(new RewardCredit(c.id(), c.account().toString(), c.amount().toString(), c.reason(),
                    c.createdAt().toString()));
        }
        return RewardCredits.of(out, total.toString());
    }

    // ---- epochs ---------------------------------------------------------------------------------------------------

    /**
     * Posts a new epoch of every credit so far, or finishes one a crash left recorded but not known to be posted.
     *
     * @throws SettleRefusedException nothing new to settle, no operator key, or the distributor is underfunded and
     *                                this node may not fund it (nothing recorded or sent)
     * @throws org.openledger.studio.wallet.chain.ChainException when the chain fails; a recorded epoch stays recorded
     *                                and the next settle posts it
     */
    public synchronized RewardEpoch settle() {
        takeIn();
        Optional<RewardStore.Epoch> open = store.unposted();
        if (open.isPresent()) {
            log.info("Finishing reward epoch {}, recorded but not known to be on chain", open.get().number());
            return wire(post(open.get()));
        }
        chain.cannotPost().ifPresent(why -> {
            throw new SettleRefusedException(SettleRefusedException.NO_OPERATOR_KEY, why);
        });
        RewardStore.Totals totals = store.totals();
        if (totals.cumulative().isEmpty()) {
            throw new SettleRefusedException(SettleRefusedException.NOTHING_TO_SETTLE, "No reward credits yet: add "
                    + "some first (POST /v1/rewards/credits, or `studio rewards credit`)");
        }
        Optional<RewardStore.Epoch> last = store.latestPosted();
        if (last.isPresent() && last.get().lastCredit() == totals.lastCredit()) {
            throw new SettleRefusedException(SettleRefusedException.NOTHING_TO_SETTLE, "No credits since epoch "
                    + last.get().number() + ": it already holds every credit");
        }
        RewardTree tree = new RewardTree(totals.cumulative());
        BigInteger total = BigInteger.ZERO;
        BigInteger owed = BigInteger.ZERO;
        for (var e : totals.cumulative().entrySet()) {
            total = total.add(e.getValue());
            owed = owed.add(e.getValue().subtract(chain.claimed(e.getKey())).max(BigInteger.ZERO));
        }
        BigInteger funded = fundFor(owed);
        long number = Math.max(store.lastNumber(), chain.currentEpoch()) + 1;
        RewardStore.Epoch epoch = new RewardStore.Epoch(number, tree.root(), RewardEpoch.RECORDED, total, funded,
                totals.lastCredit(), totals.cumulative(), null, null, clock.instant(), null, null);
        store.record(epoch);
        CrashPoint.reach("rewards.recorded"); // recorded, its root not yet sent
        cachedTree = Map.entry(number, tree);
        log.info("Recorded reward epoch {} ({} accounts, {} wei in all); posting its root", number,
                totals.cumulative().size(), total);
        return wire(post(epoch));
    }

    /** Tops the distributor up to {@code owed} when it holds less; what was sent (0 when nothing was needed). */
    private BigInteger fundFor(BigInteger owed) {
        BigInteger held = chain.held();
        if (held.compareTo(owed) >= 0) {
            return BigInteger.ZERO;
        }
        BigInteger shortfall = owed.subtract(held);
        Optional<String> why = chain.cannotFund();
        if (why.isPresent()) {
            throw new SettleRefusedException(SettleRefusedException.UNDERFUNDED, "The RewardDistributor "
                    + chain.distributor() + " holds " + held + " wei of OPEN but owes " + owed + " wei not yet "
                    + "claimed; send it at least " + shortfall + " wei of OPEN, then settle again. " + why.get());
        }
        chain.fund(shortfall);
        log.info("Sent {} wei of OPEN to the RewardDistributor so it can pay every claim", shortfall);
        return shortfall;
    }

    /** Puts a recorded epoch's root on chain once: not again if a root for its number already arrived. */
    private RewardStore.Epoch post(RewardStore.Epoch e) {
        if (chain.currentEpoch() >= e.number()) {
            Optional<RewardChain.Posted> p = chain.posted(e.number());
            if (p.isPresent() && Arrays.equals(p.get().root(), e.root())) {
                store.markPosted(e.number(), p.get().txHash(), p.get().block(), clock.instant());
                return reread(e.number());
            }
            String why = "Epoch " + e.number() + " is already on chain with another root ("
                    + p.map(x -> RewardStore.hex(x.root())).orElse("unknown") + "); settle again for a new epoch";
            store.markFailed(e.number(), why);
            throw new SettleRefusedException(SettleRefusedException.EPOCH_TAKEN, why);
        }
        chain.cannotPost().ifPresent(why -> {
            throw new SettleRefusedException(SettleRefusedException.NO_OPERATOR_KEY, why);
        });
        RewardChain.Posted p = chain.post(e.number(), e.root());
        CrashPoint.reach("rewards.posted"); // the root is on chain, the ledger does not know yet
        store.markPosted(e.number(), p.txHash(), p.block(), clock.instant());
        log.info("Reward epoch {} posted in block {} ({})", e.number(), p.block(), p.txHash());
        return reread(e.number());
    }

    private RewardStore.Epoch reread(long number) {
        return store.epoch(number).orElseThrow();
    }

    /** Every epoch, newest first. */
    public RewardEpochs epochs() {
        return RewardEpochs.of(store.epochs().stream().map(RewardLedger::wire).toList());
    }

    // ---- proofs ---------------------------------------------------------------------------------------------------

    /**
     * {@code account}'s claim against the newest posted epoch, with what the contract says it already claimed.
     *
     * @throws NoRewardException when no epoch is posted or the account is not in the newest one
     */
    public RewardProof proof(String accountText) {
        Address account = account(accountText, "account");
        RewardStore.Epoch e = store.latestPosted().orElseThrow(() -> new NoRewardException("No reward epoch is "
                + "posted on this node yet, so " + account + " has nothing to claim"));
        BigInteger cumulative = e.cumulative().get(account);
        if (cumulative == null) {
            throw new NoRewardException(account + " has no rewards in epoch " + e.number()
                    + ", the newest posted on this node");
        }
        RewardTree tree = tree(e);
        List<String> proof = tree.proof(account).stream().map(RewardStore::hex).toList();
        BigInteger claimed = chain.claimed(account);
        return new RewardProof(account.toString(), e.number(), RewardStore.hex(e.root()),
                chain.distributor().toString(), cumulative.toString(), proof, claimed.toString(),
                cumulative.subtract(claimed).max(BigInteger.ZERO).toString());
    }

    private RewardTree tree(RewardStore.Epoch e) {
        Map.Entry<Long, RewardTree> cached = cachedTree;
        if (cached != null && cached.getKey() == e.number()) {
            return cached.getValue();
        }
        RewardTree tree = new RewardTree(e.cumulative());
        cachedTree = Map.entry(e.number(), tree);
        return tree;
    }

    // ---- parsing and the wire -------------------------------------------------------------------------------------

    private static Address account(String text, String param) {
        if (text == null || text.isBlank()) {
            throw new InvalidCreditException(param, "Give the account: a 0x address");
        }
        try {
            return Address.parse(text.trim());
        } catch (InvalidAddressException e) {
            throw new InvalidCreditException(param, e.getMessage());
        }
    }

    private static BigInteger amount(String text, String param) {
        String t = text == null ? "" : text.trim();
        if (!WEI.matcher(t).matches()) {
            throw new InvalidCreditException(param, "The amount must be a positive whole number of wei of OPEN "
                    + "(1 OPEN = 10^18 wei), not '" + text + "'");
        }
        BigInteger v = new BigInteger(t);
        if (v.signum() == 0) {
            throw new InvalidCreditException(param, "The amount must be more than 0 wei");
        }
        if (v.compareTo(MAX_CREDIT_WEI) > 0) {
            throw new InvalidCreditException(param, "One credit is at most " + MAX_CREDIT_WEI + " wei (a billion "
                    + "OPEN), not " + t);
        }
        return v;
    }

    private static String reason(String text, String param) {
        String t = text == null || text.isBlank() ? DEFAULT_REASON : text.strip();
        if (t.length() > MAX_REASON_CHARS) {
            throw new InvalidCreditException(param, "The reason is at most " + MAX_REASON_CHARS + " characters");
        }
        return t;
    }

    private static RewardEpoch wire(RewardStore.Epoch e) {
        Map<String, String> cumulative = new LinkedHashMap<>();
        e.cumulative().forEach((a, v) -> cumulative.put(a.toString(), v.toString()));
        return new RewardEpoch(e.number(), RewardStore.hex(e.root()), e.state(), e.total().toString(),
                e.funded().toString(), cumulative, e.txHash(), e.block(), e.createdAt().toString(),
                e.postedAt() == null ? null : e.postedAt().toString(), e.error());
    }

    @Override
    public void close() {
        store.close();
    }
}
