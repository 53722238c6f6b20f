package org.openledger.studio.ui.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpochs;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Wallet;

/**
 * What Wallet &amp; Staking shows of the node (its chain in the status line, the devnet faucet, an account's rewards),
 * over a real wallet folder with a watch-only account and a fake of the node's {@link WalletApi}. Signing and the
 * chain itself are the TestFX tests' (against anvil).
 */
class WalletViewModelTest {

    private static final String ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    @TempDir
    Path dir;

    private final FakeNode node = new FakeNode();
    private Optional<FakeNode> active = Optional.of(node);
    private final BackgroundTasks tasks = TestTasks.immediate();
    private final Notices notices = new Notices(Runnable::run);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private ChainStatus chain;
    private WalletViewModel vm;

    @BeforeEach
    void open() {
        Wallet wallet = new Wallet(dir.resolve("wallet"), new Keystore(ScryptParams.STANDARD, new SecureRandom()),
                Clock.systemUTC(), Duration.ofMinutes(5));
        wallet.watch(Address.parse(ADDRESS), "Watched");
        chain = new ChainStatus(() -> active, tasks, poller);
        vm = new WalletViewModel(wallet, dir.resolve("wallet").resolve("transactions.db"), () -> active, chain, tasks,
                notices);
    }

    @AfterEach
    void close() {
        vm.close();
        poller.shutdownNow();
    }

    @Test
    void theChainLineSaysWhatTheNodeReports() {
        node.chain = new ChainInfo("Local devnet", 31337, "http://127.0.0.1:8545", ChainInfo.STARTING, null, true,
                Map.of());
        chain.refresh();
        assertEquals("Chain: Local devnet (31337), starting…", chain.textProperty().get());
        node.chain = new ChainInfo("Local devnet", 31337, "http://127.0.0.1:8545", ChainInfo.FAILED,
                "anvil not found", true, Map.of());
        chain.refresh();
        assertEquals("Chain: Local devnet (31337), failed: anvil not found", chain.textProperty().get());
        assertEquals(ChainInfo.FAILED, chain.infoProperty().get().status());
    }

    @Test
    void aNodeWithoutAChainAndAnUnreachableNodeAreToldApart() {
        node.chainFailure = NodeErrors.http(404, null, "not found");
        chain.refresh();
        assertEquals("Chain: this node offers no chain", chain.textProperty().get());
        assertNull(chain.infoProperty().get());
        node.chainFailure = NodeErrors.unreachable();
        chain.refresh();
        assertEquals("Chain: node unreachable", chain.textProperty().get());
        active = Optional.empty();
        chain.refresh();
        assertEquals("Chain: no active node", chain.textProperty().get());
    }

    @Test
    void theFaucetsAnswerIsShown() {
        node.chain = new ChainInfo("Local devnet", 31337, "http://127.0.0.1:8545", ChainInfo.STARTING, null, true,
                Map.of());
        chain.refresh();
        assertTrue(vm.faucetAvailable());
        vm.faucet();
        assertEquals(List.of(ADDRESS), node.faucetAsked);
        assertEquals("The faucet sent 1000 test OPEN to " + ADDRESS, vm.messageProperty().get());
        assertEquals("–", vm.openBalanceProperty().get(), "no balance is read while the chain is not ready");
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void aFaucetTheNodeRefusesShowsTheNodesMessageAndANotice() {
        node.faucetFailure = NodeErrors.http(409, null, "this node's chain has no faucet");
        vm.faucet();
        String said = "The node at http://127.0.0.1:9 answered 409: this node's chain has no faucet";
        assertEquals(said, vm.messageProperty().get());
        assertEquals(List.of(new Notices.Notice(Notices.Level.ERROR, "Asking the devnet faucet: " + said)),
                notices.items());
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void anAccountsRewardsAreReadFromTheNode() {
        node.proof = new RewardProof(ADDRESS.toLowerCase(), 3, "0x01", "0x02", "5000000000000000000", List.of(),
                "2000000000000000000", "3000000000000000000");
        vm.rewards().refresh();
        assertEquals("3 OPEN", vm.rewards().claimableProperty().get());
        assertEquals("Epoch 3: 5 OPEN earned in all, 2 OPEN claimed", vm.rewards().detailProperty().get());
    }

    @Test
    void anAccountTheNodeOwesNothingIsSaidInTheNodesWords() {
        node.proofFailure = NodeErrors.http(404, null, "no posted epoch names " + ADDRESS);
        vm.rewards().refresh();
        assertEquals("0 OPEN", vm.rewards().claimableProperty().get());
        assertEquals("no posted epoch names " + ADDRESS, vm.rewards().detailProperty().get());
        node.proofFailure = NodeErrors.unreachable();
        vm.rewards().refresh();
        assertEquals("Cannot read rewards: Cannot reach the node at http://127.0.0.1:9: Connection refused",
                vm.rewards().detailProperty().get());
    }

    /** The node's chain, faucet and rewards, answering what the test set. */
    private static final class FakeNode implements WalletApi {
        ChainInfo chain;
        RuntimeException chainFailure;
        RuntimeException faucetFailure;
        RewardProof proof;
        RuntimeException proofFailure = NodeErrors.http(404, null, "no epoch is posted yet");
        final List<String> faucetAsked = new ArrayList<>();

        @Override
        public ChainInfo chain() {
            if (chainFailure != null) {
                throw chainFailure;
            }
            return chain;
        }

        @Override
        public FaucetResult faucet(String address) {
            if (faucetFailure != null) {
                throw faucetFailure;
            }
            faucetAsked.add(address);
            return new FaucetResult(address, 1000, "1000000000000000000000", "10000000000000000000");
        }

        @Override
        public RewardProof rewardProof(String account) {
            if (proofFailure != null && proof == null) {
                throw proofFailure;
            }
            return proof;
        }

        @Override
        public RewardCredits rewardCredits(String account) {
            throw new UnsupportedOperationException("not asked by the wallet");
        }

        @Override
        public RewardEpochs rewardEpochs() {
            throw new UnsupportedOperationException("not asked by the wallet");
        }
    }
}
