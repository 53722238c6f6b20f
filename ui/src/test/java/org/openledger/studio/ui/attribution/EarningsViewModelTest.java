package org.openledger.studio.ui.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.api.rewards.EarningsApi;
import org.openledger.studio.api.rewards.EarningsCsv;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardEpochs;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;
import org.openledger.studio.ui.wallet.ChainStatus;
import org.openledger.studio.ui.wallet.WalletViewModel;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Wallet;

/**
 * The Earnings tab against a fake of the node's {@link EarningsApi}, over a real wallet folder with watch-only
 * accounts: totals, per epoch, role, model and Datanet from the node's credits and epochs; each record's model asked
 * once; a late answer for an account no longer shown is dropped; the node's failures; CSV export; when Claim is
 * possible. Claiming itself (signing on a chain) is the TestFX tests' (against anvil).
 */
class EarningsViewModelTest {

    private static final String ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private static final String BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String OPEN = "000000000000000000"; // 18 zeros: wei in one OPEN, appended to whole amounts

    @TempDir
    Path dir;

    private final FakeNode node = new FakeNode();
    private Optional<FakeNode> active = Optional.of(node);
    private final TestTasks.Manual worker = new TestTasks.Manual();
    private final BackgroundTasks tasks = TestTasks.manual(worker);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private WalletViewModel wallet;

    @AfterEach
    void close() {
        if (wallet != null) {
            wallet.close();
        }
        poller.shutdownNow();
    }

    /** A wallet watching {@code addresses} (the first is selected) and the Earnings tab over it. */
    private EarningsViewModel open(String... addresses) {
        Wallet w = new Wallet(dir.resolve("wallet"), new Keystore(ScryptParams.STANDARD, new SecureRandom()),
                Clock.systemUTC(), Duration.ofMinutes(5));
        for (int i = 0; i < addresses.length; i++) {
            w.watch(Address.parse(addresses[i]), "Watched " + i);
        }
        ChainStatus chain = new ChainStatus(() -> active, tasks, poller);
        wallet = new WalletViewModel(w, dir.resolve("wallet").resolve("transactions.db"), () -> active, chain, tasks,
                new Notices(Runnable::run));
        worker.runAll(); // what the wallet reads of the node when an account is selected
        return new EarningsViewModel(() -> active, tasks, wallet);
    }

    @Test
    void theCreditsAndEpochsAreSummedPerEpochRoleModelAndDatanet() {
        node.credits(ALICE,
                credit(ALICE, "3" + OPEN, "attribution attr-1 (contributor, datanet 7)"),
                credit(ALICE, "1" + OPEN, "attribution attr-1 (owner)"),
                credit(ALICE, "2" + OPEN, "attribution attr-2 (staker)"),
                credit(ALICE, "5" + OPEN.substring(1), "operator"));
        node.epochs.add(epoch(1, Map.of(ALICE.toLowerCase(), "4" + OPEN)));
        node.models.put("attr-1", "helper");
        node.models.put("attr-2", "poet");
        EarningsViewModel vm = open(ALICE);
        assertEquals(ALICE, vm.accountProperty().get().address().toString(), "the wallet's selection at first");

        vm.refresh();
        assertTrue(vm.loadingProperty().get());
        assertEquals("Reading the earnings of " + ALICE + "…", vm.statusProperty().get());
        worker.runAll();

        assertEquals(List.of(ALICE), node.creditsAsked);
        assertEquals("6.5 OPEN", vm.totalProperty().get());
        assertEquals("4 OPEN", vm.settledProperty().get());
        assertEquals("2.5 OPEN", vm.unsettledProperty().get());
        assertEquals(List.of(share("1", "4")), vm.epochs());
        assertEquals(List.of(share("contributor", "3"), share("owner", "1"), share("staker", "2"),
                share("platform", "0"), new EarningsViewModel.Share("operator credit", wei("5" + OPEN.substring(1)))),
                vm.byRole(), "every role listed, the operator's credit after them");
        assertEquals(List.of(share("helper", "4"), share("poet", "2"),
                new EarningsViewModel.Share(EarningsCsv.NOT_ATTRIBUTED, wei("5" + OPEN.substring(1)))), vm.byModel(),
                "largest first");
        assertEquals(List.of(share("Datanet 7", "3")), vm.byDatanet());
        assertEquals("4 credits", vm.statusProperty().get());
        assertTrue(vm.hasCreditsProperty().get());
        assertFalse(vm.loadingProperty().get());
        assertEquals(List.of("attr-1", "attr-2"), node.recordsAsked);

        vm.refresh();
        worker.runAll();
        assertEquals(List.of("attr-1", "attr-2"), node.recordsAsked, "a record's model is asked once");
    }

    @Test
    void recordsTheNodeCannotShowAreNamedAndAskedAgainNextTime() {
        node.credits(ALICE,
                credit(ALICE, "1" + OPEN, "attribution attr-1 (owner)"),
                credit(ALICE, "2" + OPEN, "attribution attr-2 (owner)"));
        node.recordFailures.put("attr-1", NodeErrors.http(404, null, "no attribution record 'attr-1'"));
        node.recordFailures.put("attr-2", NodeErrors.unreachable());
        EarningsViewModel vm = open(ALICE);
        vm.refresh();
        worker.runAll();
        assertEquals(List.of(share("(record unreadable)", "2"), share("(record not found)", "1")), vm.byModel());
        node.recordFailures.clear();
        node.models.put("attr-1", "helper");
        node.models.put("attr-2", "helper");
        vm.refresh();
        worker.runAll();
        assertEquals(List.of(share("helper", "3")), vm.byModel());
    }

    @Test
    void nothingEarnedYetIsSaidSo() {
        EarningsViewModel vm = open(ALICE);
        vm.refresh();
        worker.runAll();
        assertEquals("0 OPEN", vm.totalProperty().get());
        assertEquals(4, vm.byRole().size());
        assertTrue(vm.byRole().stream().allMatch(s -> s.wei().signum() == 0));
        assertEquals(List.of(), vm.byModel());
        assertFalse(vm.hasCreditsProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Nothing earned on this node yet"), vm.statusProperty().get());
    }

    @Test
    void withoutANodeOrAnAccountNothingIsAsked() {
        EarningsViewModel vm = open(ALICE);
        active = Optional.empty();
        vm.refresh();
        assertEquals(0, worker.pending());
        assertEquals("No node is connected yet: earnings come from the active node.", vm.statusProperty().get());
        assertEquals("–", vm.totalProperty().get());

        active = Optional.of(node);
        vm.accountProperty().set(null);
        worker.runAll();
        assertEquals("No account: create or import one in Wallet & Staking.", vm.statusProperty().get());
        assertEquals(List.of(), node.creditsAsked);
    }

    @Test
    void aNodeThatFailsClearsWhatWasShownAndSaysWhy() {
        node.credits(ALICE, credit(ALICE, "1" + OPEN, "attribution attr-1 (owner)"));
        EarningsViewModel vm = open(ALICE);
        vm.refresh();
        worker.runAll();
        assertEquals("1 OPEN", vm.totalProperty().get());
        node.creditsFailure = NodeErrors.unreachable();
        vm.refresh();
        worker.runAll();
        assertEquals("Could not read the earnings: Cannot reach the node at http://127.0.0.1:9: Connection refused",
                vm.statusProperty().get());
        assertEquals("–", vm.totalProperty().get());
        assertEquals(List.of(), vm.byRole());
        assertFalse(vm.hasCreditsProperty().get());
        assertFalse(vm.loadingProperty().get());
    }

    @Test
    void anAnswerForAnAccountNoLongerShownIsDropped() {
        node.credits(ALICE, credit(ALICE, "9" + OPEN, "attribution attr-1 (owner)"));
        EarningsViewModel vm = open(ALICE, BOB);
        Account bob = vm.accounts().stream().filter(a -> a.address().toString().equals(BOB)).findFirst()
                .orElseThrow();
        vm.refresh();             // Alice's, queued
        vm.accountProperty().set(bob); // Bob's, queued after it
        worker.runNewest();       // Bob's answer comes first
        assertEquals("0 OPEN", vm.totalProperty().get());
        assertFalse(vm.loadingProperty().get());
        worker.runAll();          // then Alice's, too late
        assertEquals("0 OPEN", vm.totalProperty().get(), "Alice's 9 OPEN are not shown for Bob");
        assertTrue(vm.statusProperty().get().startsWith("Nothing earned"), vm.statusProperty().get());
        assertEquals(List.of(BOB, ALICE), node.creditsAsked);
    }

    @Test
    void theCreditsReadLastAreExportedAsCsv() throws Exception {
        node.credits(ALICE,
                credit(ALICE, "3" + OPEN, "attribution attr-1 (contributor, datanet 7)"),
                credit(ALICE, "1" + OPEN, "attribution attr-1 (owner)"));
        node.models.put("attr-1", "helper");
        EarningsViewModel vm = open(ALICE);
        vm.refresh();
        worker.runAll();
        Path file = dir.resolve("earnings.csv");
        vm.export(file);
        assertFalse(Files.exists(file), "written on the worker");
        worker.runAll();
        List<String> lines = Files.readAllLines(file);
        assertEquals(EarningsCsv.HEADER, lines.get(0));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains("attr-1") && l.contains("helper")),
                lines.toString());
        assertEquals("Exported 2 credits to " + file, vm.statusProperty().get());
    }

    @Test
    void claimNeedsSomethingClaimableAndTheAccountUnlockedInTheWallet() {
        node.proofs.put(ALICE.toLowerCase(), new RewardProof(ALICE.toLowerCase(), 1, "0x01", "0x02", "4" + OPEN,
                List.of(), "0", "4" + OPEN));
        EarningsViewModel vm = open(ALICE, BOB);
        vm.refresh();
        worker.runAll();
        assertEquals("4 OPEN", vm.rewards().claimableProperty().get());
        assertFalse(vm.canClaimProperty().get(), "a watch-only account is never unlocked");
        assertFalse(vm.otherThanWalletProperty().get());

        Account bob = vm.accounts().stream().filter(a -> a.address().toString().equals(BOB)).findFirst()
                .orElseThrow();
        vm.accountProperty().set(bob);
        worker.runAll();
        assertTrue(vm.otherThanWalletProperty().get(), "Bob is shown, Alice is the wallet's (signing) account");
        assertEquals("0 OPEN", vm.rewards().claimableProperty().get());
        vm.claim();
        assertEquals("Nothing to claim", vm.rewards().outcomeProperty().get());
    }

    @Test
    void aMinedClaimReadsTheEarningsAgain() {
        EarningsViewModel vm = open(ALICE);
        vm.refresh();
        worker.runAll();
        assertEquals(1, node.creditsAsked.size());
        vm.rewards().outcomeProperty().set("Received 4 OPEN");
        worker.runAll();
        assertEquals(2, node.creditsAsked.size());
        vm.rewards().outcomeProperty().set("Claim failed: reverted");
        worker.runAll();
        assertEquals(2, node.creditsAsked.size(), "only a claim that paid changes the earnings");
    }

    private static RewardCredit credit(String account, String wei, String reason) {
        return new RewardCredit(null, account, wei, reason, "2026-12-01T00:00:00Z");
    }

    private static RewardEpoch epoch(long n, Map<String, String> cumulative) {
        return new RewardEpoch(n, "0x" + "ab".repeat(32), RewardEpoch.POSTED, "0", "0", cumulative, "0x01", 1L,
                "2026-12-01T00:00:00Z", "2026-12-01T00:00:01Z", null);
    }

    private static EarningsViewModel.Share share(String name, String wholeOpen) {
        return new EarningsViewModel.Share(name, wei(wholeOpen + OPEN));
    }

    private static BigInteger wei(String wei) {
        return new BigInteger(wei);
    }

    /** The node's credits, epochs, records and proofs (by lower-case account), noting what it was asked. */
    private static final class FakeNode implements WalletApi, EarningsApi {
        final Map<String, List<RewardCredit>> credits = new HashMap<>();
        final List<RewardEpoch> epochs = new ArrayList<>();
        final Map<String, String> models = new HashMap<>();
        final Map<String, RuntimeException> recordFailures = new HashMap<>();
        final Map<String, RewardProof> proofs = new HashMap<>();
        RuntimeException creditsFailure;
        final List<String> creditsAsked = new ArrayList<>();
        final List<String> recordsAsked = new ArrayList<>();

        void credits(String account, RewardCredit... c) {
            credits.put(account.toLowerCase(), List.of(c));
        }

        @Override
        public RewardCredits rewardCredits(String account) {
            if (creditsFailure != null) {
                throw creditsFailure;
            }
            creditsAsked.add(account);
            List<RewardCredit> list = credits.getOrDefault(account.toLowerCase(), List.of());
            BigInteger sum = list.stream().map(c -> new BigInteger(c.amountWei())).reduce(BigInteger.ZERO,
                    BigInteger::add);
            return RewardCredits.of(list, sum.toString());
        }

        @Override
        public RewardEpochs rewardEpochs() {
            return RewardEpochs.of(epochs);
        }

        @Override
        public AttributionRecord attribution(String id) {
            RuntimeException failure = recordFailures.get(id);
            if (failure != null) {
                throw failure;
            }
            recordsAsked.add(id);
            return new AttributionRecord(id, "attribution", "done", 1L, models.get(id), models.get(id), "an answer",
                    List.of(), List.of(), List.of(), List.of(), 0, 0.0, 0.1, null);
        }

        @Override
        public RewardProof rewardProof(String account) {
            RewardProof p = proofs.get(account.toLowerCase());
            if (p == null) {
                throw NodeErrors.http(404, null, "no posted epoch names " + account);
            }
            return p;
        }

        @Override
        public ChainInfo chain() {
            throw NodeErrors.http(404, null, "this node offers no chain");
        }

        @Override
        public FaucetResult faucet(String address) {
            throw new UnsupportedOperationException("not asked by the Earnings tab");
        }
    }
}
