package org.openledger.studio.app.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.daemon.rewards.OnChainRewards;
import org.openledger.studio.daemon.rewards.RewardChain;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.daemon.rewards.SettleRefusedException;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainException;
import org.openledger.studio.wallet.chain.FoundryTools;
import org.openledger.studio.wallet.devnet.Devnet;

/**
 * The reward ledger on a real devnet through crashes and money: an epoch recorded before a crash is posted after the
 * restart, and an epoch whose root arrived just before a crash is recognised on chain and never posted twice; an
 * underfunded distributor is topped up only where the node may fund it (otherwise nothing is recorded or sent); a
 * node on another RPC, without an operator key, refuses to settle but still answers proofs.
 */
class RewardEpochRecoveryTest {

    private static final Address ALICE = Address.parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static final Address BOB = Address.parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    private static final BigInteger OPEN = Devnet.OPEN;

    @TempDir
    Path dir;

    @Test
    void crashesLoseNoEpochAndPostNoneTwiceAndFundingIsOnlyWhereAllowed() throws Exception {
        Path chainDir = dir.resolve("chain");
        Path data = dir.resolve("node");
        Clock clock = Clock.systemUTC();
        try (ChainService chain = ChainService.localDevnet(FoundryTools.fromEnvironment(), chainDir)) {
            ChainInfo info = chain.awaitStarted(Duration.ofSeconds(120));
            assertEquals(ChainInfo.READY, info.status(), String.valueOf(info.error()));
            OnChainRewards real = new OnChainRewards(chain, true);

            // the node stops after recording the epoch, before its root is sent
            try (RewardLedger ledger = RewardLedger.open(data, new Faults(real, Faults.Mode.BEFORE_SEND), clock)) {
                ledger.credit(credit(ALICE, OPEN.multiply(BigInteger.valueOf(5))));
                assertThrows(ChainException.class, ledger::settle);
                RewardEpoch kept = ledger.epochs().data().get(0);
                assertEquals(RewardEpoch.RECORDED, kept.state(), "recorded before anything was sent");
                assertEquals(1, kept.epoch());
            }
            assertEquals(0, real.currentEpoch());
            try (RewardLedger ledger = RewardLedger.open(data, real, clock)) {
                RewardEpoch posted = ledger.settle();
                assertEquals(1, posted.epoch());
                assertEquals(RewardEpoch.POSTED, posted.state());
                assertNotNull(posted.txHash());
                assertEquals(1, real.currentEpoch());
            }

            // the root reaches the chain, then the node stops before it records the receipt
            try (RewardLedger ledger = RewardLedger.open(data, new Faults(real, Faults.Mode.AFTER_SEND), clock)) {
                ledger.credit(credit(ALICE, OPEN.multiply(BigInteger.TWO)));
                assertThrows(ChainException.class, ledger::settle);
                assertEquals(RewardEpoch.RECORDED, ledger.epochs().data().get(0).state());
            }
            assertEquals(2, real.currentEpoch(), "the root did arrive");
            Faults counting = new Faults(real, Faults.Mode.NONE);
            try (RewardLedger ledger = RewardLedger.open(data, counting, clock)) {
                RewardEpoch recognised = ledger.settle();
                assertEquals(2, recognised.epoch());
                assertEquals(RewardEpoch.POSTED, recognised.state());
                assertEquals(0, counting.posts, "found on chain, not posted again");
                RewardChain.Posted onChain = real.posted(2).orElseThrow();
                assertEquals(onChain.txHash(), recognised.txHash());
                assertEquals(onChain.block(), recognised.block());
                assertEquals(2, real.currentEpoch());
                assertEquals(2, ledger.epochs().data().size());
                RewardProof proof = ledger.proof(ALICE.toString());
                assertEquals(OPEN.multiply(BigInteger.valueOf(7)).toString(), proof.cumulativeWei());
                assertEquals(proof.cumulativeWei(), proof.claimableWei());
                SettleRefusedException nothing = assertThrows(SettleRefusedException.class, ledger::settle);
                assertEquals(SettleRefusedException.NOTHING_TO_SETTLE, nothing.code());
            }

            // more is owed than the distributor holds (1M OPEN): refused where the node may not fund it
            BigInteger big = OPEN.multiply(BigInteger.valueOf(2_000_000));
            BigInteger held = real.held();
            assertEquals(Devnet.REWARD_POOL, held);
            try (RewardLedger ledger = RewardLedger.open(data, new OnChainRewards(chain, false), clock)) {
                ledger.credit(credit(BOB, big));
                SettleRefusedException under = assertThrows(SettleRefusedException.class, ledger::settle);
                assertEquals(SettleRefusedException.UNDERFUNDED, under.code());
                BigInteger owed = big.add(OPEN.multiply(BigInteger.valueOf(7)));
                assertTrue(under.getMessage().contains("send it at least " + owed.subtract(held) + " wei"),
                        under.getMessage());
                assertEquals(2, ledger.epochs().data().size(), "nothing recorded");
            }
            assertEquals(held, real.held(), "nothing sent");
            try (RewardLedger ledger = RewardLedger.open(data, real, clock)) {
                RewardEpoch funded = ledger.settle();
                assertEquals(3, funded.epoch());
                assertEquals(RewardEpoch.POSTED, funded.state());
                BigInteger owed = big.add(OPEN.multiply(BigInteger.valueOf(7)));
                assertEquals(owed.subtract(held).toString(), funded.fundedWei());
                assertEquals(owed, real.held(), "the distributor holds exactly what is owed");
            }

            // another node on the same chain through its RPC: no operator key, so no settling; proofs still work
            try (ChainService remote = ChainService.remote(info.rpcUrl(), 31337, chainDir)) {
                assertEquals(ChainInfo.READY, remote.awaitStarted(Duration.ofSeconds(30)).status());
                try (RewardLedger ledger = RewardLedger.open(dir.resolve("other"), new OnChainRewards(remote, true),
                        clock)) {
                    ledger.credit(credit(ALICE, OPEN));
                    SettleRefusedException refused = assertThrows(SettleRefusedException.class, ledger::settle);
                    assertEquals(SettleRefusedException.NO_OPERATOR_KEY, refused.code());
                    assertTrue(refused.getMessage().contains("no operator key for Custom RPC (chain 31337)"),
                            refused.getMessage());
                    assertTrue(ledger.epochs().data().isEmpty());
                }
            }
        }
    }

    private static CreditRequest credit(Address account, BigInteger wei) {
        return new CreditRequest(account.toString(), wei.toString(), "test", null);
    }

    /** The real chain with a crash injected around sending the root; counts the roots actually sent. */
    private static final class Faults implements RewardChain {
        enum Mode { NONE, BEFORE_SEND, AFTER_SEND }

        private final RewardChain real;
        private final Mode mode;
        int posts;

        Faults(RewardChain real, Mode mode) {
            this.real = real;
            this.mode = mode;
        }

        @Override
        public Posted post(long epoch, byte[] root) {
            if (mode == Mode.BEFORE_SEND) {
                throw new ChainException("injected: the node stopped before sending the root");
            }
            posts++;
            Posted p = real.post(epoch, root);
            if (mode == Mode.AFTER_SEND) {
                throw new ChainException("injected: the node stopped before recording " + p.txHash());
            }
            return p;
        }

        @Override
        public Address distributor() {
            return real.distributor();
        }

        @Override
        public long currentEpoch() {
            return real.currentEpoch();
        }

        @Override
        public BigInteger claimed(Address account) {
            return real.claimed(account);
        }

        @Override
        public BigInteger held() {
            return real.held();
        }

        @Override
        public Optional<String> cannotPost() {
            return real.cannotPost();
        }

        @Override
        public Optional<String> cannotFund() {
            return real.cannotFund();
        }

        @Override
        public void fund(BigInteger amountWei) {
            real.fund(amountWei);
        }

        @Override
        public Optional<Posted> posted(long epoch) {
            return real.posted(epoch);
        }
    }
}
