package org.openledger.studio.wallet.devnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.RewardDistributor;
import org.openledger.studio.contracts.generated.StakingVault;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.ChainException;
import org.openledger.studio.wallet.chain.FoundryTools;
import org.openledger.studio.wallet.chain.LocalChain;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.chain.TransactionRevertedException;
import org.openledger.studio.wallet.chain.WalletTransactionManager;
import org.openledger.studio.wallet.signing.Signature;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.openledger.studio.wallet.signing.TypedData;
import org.openledger.studio.wallet.signing.TypedDataSigner;
import org.openledger.studio.wallet.staking.RewardTree;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** Every contract flow on a real anvil, sending through the wallet (nonce book, chain-id check, decoded reverts). */
class EconomyFlowTest {

    private static final BigInteger OPEN = Devnet.OPEN;
    private static final byte[] DATANET_TARGET = Hash.sha3("datanet:legal-qa".getBytes(StandardCharsets.UTF_8));
    private static final byte[] MODEL_TARGET = Hash.sha3("model:legal-qa-lora".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path dir;
    private static LocalChain chain;
    private static ChainClient client;
    private static NonceBook book;
    private static Outbox outbox;
    private static Devnet devnet;
    private static Deployment deployment;
    private static Address operator;
    private static Address alice;
    private static Address bob;
    private static Wallet wallet;

    @BeforeAll
    static void startDevnet() {
        chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("chain"));
        client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, Devnet.revertDecoder());
        wallet = new Wallet(dir.resolve("wallet"), new Keystore(new ScryptParams(1 << 12, 8, 1),
                new SecureRandom()), Clock.systemUTC(), Duration.ofMinutes(30));
        try (Mnemonic m = Mnemonic.parse(Secret.of(LocalChain.DEV_MNEMONIC.toCharArray()))) {
            operator = wallet.createFromMnemonic(m, Secret.of("pw".toCharArray())).address();
        }
        alice = wallet.addHdAccount(Secret.of("pw".toCharArray()), "alice").address();
        bob = wallet.addHdAccount(Secret.of("pw".toCharArray()), "bob").address();
        for (Address a : List.of(operator, alice, bob)) {
            wallet.unlock(a, Secret.of("pw".toCharArray()));
        }
        book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC());
        outbox = new Outbox(client, book, wallet);
        devnet = new Devnet(client, outbox, operator, Clock.systemUTC());
        deployment = devnet.deployOnce(dir.resolve("chain"));
        devnet.faucet(deployment, alice, OPEN.multiply(BigInteger.valueOf(1000)));
        devnet.faucet(deployment, bob, OPEN.multiply(BigInteger.valueOf(1000)));
    }

    @AfterAll
    static void stop() {
        book.close();
        client.close();
        chain.close();
    }

    private static Economy as(Address who) {
        return Economy.load(deployment, client.web3j(),
                new WalletTransactionManager(client, outbox, who, Duration.ofSeconds(30)));
    }

    @Test
    void theDeploymentIsMadeOnceAndTheFaucetOnlyServesTheDevnet() throws Exception {
        assertEquals(deployment, devnet.deployOnce(dir.resolve("chain")));
        assertTrue(Files.readString(dir.resolve("chain/deployment.json")).contains(deployment.openToken().toString()));
        Economy e = as(alice);
        assertEquals("OPEN", e.token().symbol().send());
        assertTrue(e.token().balanceOf(alice.lowercase()).send().compareTo(OPEN.multiply(BigInteger.valueOf(900))) > 0);
        assertEquals(Devnet.REWARD_POOL, e.token().balanceOf(deployment.rewardDistributor().lowercase()).send());
        try (ChainClient testnet = new ChainClient(chain.rpcUrl(), 161201, Devnet.revertDecoder())) {
            Devnet wrong = new Devnet(testnet, new Outbox(testnet, book, null), operator, Clock.systemUTC());
            ChainException refused = assertThrows(ChainException.class, () -> wrong.faucet(deployment, alice, OPEN));
            assertTrue(refused.getMessage().contains("only run on the local devnet"), refused.getMessage());
        }
    }

    @Test
    void stakeUnstakeAfterCooldownWithEvents() throws Exception {
        Economy e = as(alice);
        BigInteger kind = Economy.TargetKind.DATANET.code();
        BigInteger before = e.token().balanceOf(alice.lowercase()).send();
        e.token().approve(deployment.stakingVault().lowercase(), OPEN.multiply(BigInteger.valueOf(100))).send();
        TransactionReceipt staked = e.vault().stake(kind, DATANET_TARGET, OPEN.multiply(BigInteger.valueOf(100))).send();
        StakingVault.StakedEventResponse ev = StakingVault.getStakedEvents(staked).get(0);
        assertEquals(alice.lowercase(), ev.staker);
        assertEquals(OPEN.multiply(BigInteger.valueOf(100)), ev.amount);

        e.vault().requestUnstake(kind, DATANET_TARGET, OPEN.multiply(BigInteger.valueOf(40))).send();
        var position = e.vault().stakeOf(alice.lowercase(), kind, DATANET_TARGET).send();
        assertEquals(OPEN.multiply(BigInteger.valueOf(60)), position.component1());
        assertEquals(OPEN.multiply(BigInteger.valueOf(40)), position.component2());

        TransactionRevertedException early = assertThrows(TransactionRevertedException.class,
                () -> e.vault().withdraw(kind, DATANET_TARGET).send());
        assertTrue(early.getMessage().contains("CooldownNotOver(" + position.component3() + ")"), early.getMessage());

        // the same revert, mined (fixed gas, no estimate): the reason is recovered by replaying the transaction
        byte[] data = org.web3j.utils.Numeric.hexStringToByteArray(
                e.vault().withdraw(kind, DATANET_TARGET).encodeFunctionCall());
        TransactionRequest r = new TransactionRequest(LocalChain.CHAIN_ID,
                book.nextNonce(LocalChain.CHAIN_ID, alice, client.nonce(alice, true)), deployment.stakingVault(),
                BigInteger.ZERO, data, BigInteger.valueOf(200_000), client.fees().normal().maxFeePerGas(),
                client.fees().normal().maxPriorityFeePerGas());
        SignedTransaction failing = outbox.sign(alice, r, "withdraw too early");
        TransactionRevertedException mined = assertThrows(TransactionRevertedException.class,
                () -> outbox.settle(outbox.broadcast(failing), Duration.ofSeconds(10)));
        assertTrue(mined.getMessage().contains("CooldownNotOver"), mined.getMessage());
        // the nonce book keeps the decoded reason for the history
        var kept = book.find(failing.hash()).orElseThrow();
        assertEquals(org.openledger.studio.wallet.chain.PendingTransaction.Status.FAILED, kept.status());
        assertTrue(kept.reason().contains("CooldownNotOver"), kept.reason());

        // the staker's positions, found from their own Staked events, with the unlock time on the chain's clock
        var positions = new org.openledger.studio.wallet.staking.StakePositions(client, deployment.stakingVault())
                .of(alice);
        assertEquals(1, positions.size(), positions.toString());
        var p = positions.get(0);
        assertEquals(Economy.TargetKind.DATANET, p.kind());
        assertEquals(OPEN.multiply(BigInteger.valueOf(40)), p.unbonding());
        assertEquals(position.component3().longValueExact(), p.unlockAt().getEpochSecond());
        assertFalse(p.withdrawable(client.latestBlockTime()), "still in its cooldown on the chain's clock");
        assertTrue(p.withdrawable(client.latestBlockTime().plus(Devnet.COOLDOWN)));
        // read one block per eth_getLogs call, the same positions; the same reader then reads only newer blocks
        var windowed = new org.openledger.studio.wallet.staking.StakePositions(client, deployment.stakingVault(), 0,
                1);
        assertEquals(1, windowed.of(alice).size());
        e.token().approve(deployment.stakingVault().lowercase(), OPEN).send();
        e.vault().stake(Economy.TargetKind.MODEL.code(), MODEL_TARGET, OPEN).send();
        var both = windowed.of(alice);
        assertEquals(2, both.size(), both.toString());
        assertEquals(Economy.TargetKind.MODEL, both.get(1).kind());
        assertEquals(OPEN, both.get(1).active());

        warp(Devnet.COOLDOWN.plusSeconds(1));
        TransactionReceipt withdrawn = e.vault().withdraw(kind, DATANET_TARGET).send();
        assertEquals(OPEN.multiply(BigInteger.valueOf(40)), StakingVault.getWithdrawnEvents(withdrawn).get(0).amount);
        assertEquals(before.subtract(OPEN.multiply(BigInteger.valueOf(60))).subtract(OPEN), // 60 + 1 still staked
                e.token().balanceOf(alice.lowercase()).send());
    }

    @Test
    void contributionsAreChallengedAndRedundantStakeIsSlashed() throws Exception {
        Economy owner = as(bob);
        Economy contributor = as(alice);
        Economy challenger = as(operator);
        TransactionReceipt created = owner.datanets().createDatanet(Hash.sha3("meta".getBytes())).send();
        BigInteger datanet = DatanetRegistry.getDatanetCreatedEvents(created).get(0).datanetId;

        byte[] rootA = Hash.sha3("manifest A".getBytes());
        byte[] rootB = Hash.sha3("manifest B".getBytes());
        BigInteger first = DatanetRegistry.getContributedEvents(owner.datanets()
                .contribute(datanet, rootA, BigInteger.valueOf(120), BigInteger.ZERO).send()).get(0).contributionId;
        TransactionRevertedException duplicate = assertThrows(TransactionRevertedException.class,
                () -> contributor.datanets().contribute(datanet, rootA, BigInteger.ONE, BigInteger.ZERO).send());
        assertTrue(duplicate.getMessage().contains("DuplicateManifest(" + datanet + ", " + first + ")"),
                duplicate.getMessage());

        BigInteger stake = OPEN.multiply(BigInteger.valueOf(50));
        contributor.token().approve(deployment.stakingVault().lowercase(), stake).send();
        BigInteger second = DatanetRegistry.getContributedEvents(contributor.datanets()
                .contribute(datanet, rootB, BigInteger.valueOf(80), stake).send()).get(0).contributionId;
        var position = contributor.vault().stakeOf(alice.lowercase(), Economy.TargetKind.CONTRIBUTION.code(),
                org.web3j.utils.Numeric.toBytesPadded(second, 32)).send();
        assertEquals(stake, position.component1());

        BigInteger challengerBefore = challenger.token().balanceOf(operator.lowercase()).send();
        TransactionReceipt challenged = challenger.datanets().challenge(second, first,
                Hash.sha3("rows 1-80 of B repeat rows 10-90 of A".getBytes())).send();
        BigInteger challengeId = DatanetRegistry.getChallengedEvents(challenged).get(0).challengeId;

        TransactionRevertedException stranger = assertThrows(TransactionRevertedException.class,
                () -> contributor.datanets().resolve(challengeId, true).send());
        assertTrue(stranger.getMessage().contains("NotOwnerOrGovernance(" + alice.lowercase() + ")"),
                stranger.getMessage());

        TransactionReceipt resolved = owner.datanets().resolve(challengeId, true).send();
        assertEquals(stake, DatanetRegistry.getChallengeResolvedEvents(resolved).get(0).slashed);
        List<StakingVault.SlashedEventResponse> slashes = StakingVault.getSlashedEvents(resolved);
        assertEquals("redundant contribution", slashes.get(0).reason);
        assertEquals(alice.lowercase(), slashes.get(0).staker);
        assertEquals(challengerBefore.add(stake), challenger.token().balanceOf(operator.lowercase()).send());
        assertEquals(BigInteger.ONE, contributor.datanets().getContribution(second).send().status,
                "the contribution is rejected");
        TransactionRevertedException closed = assertThrows(TransactionRevertedException.class,
                () -> owner.datanets().resolve(challengeId, false).send());
        assertTrue(closed.getMessage().contains("ChallengeClosed(" + challengeId + ")"), closed.getMessage());
    }

    @Test
    void adaptersArePublishedOnce() throws Exception {
        Economy e = as(alice);
        BigInteger datanet = DatanetRegistry.getDatanetCreatedEvents(
                e.datanets().createDatanet(Hash.sha3("for models".getBytes())).send()).get(0).datanetId;
        byte[] content = Hash.sha3("adapter_model.safetensors".getBytes());
        TransactionReceipt published = e.models().publishAdapter(content, "tiny-llama-2l", List.of(datanet)).send();
        BigInteger id = ModelRegistry.getAdapterPublishedEvents(published).get(0).adapterId;
        ModelRegistry.Adapter adapter = e.models().getAdapter(id).send();
        assertEquals(alice.lowercase(), adapter.owner);
        assertArrayEquals(content, adapter.contentHash);
        assertEquals("tiny-llama-2l", adapter.baseModel);
        assertEquals(List.of(datanet), adapter.datanetIds);

        TransactionRevertedException again = assertThrows(TransactionRevertedException.class,
                () -> e.models().publishAdapter(content, "other", List.of()).send());
        assertTrue(again.getMessage().contains("AlreadyPublished"), again.getMessage());
        TransactionRevertedException unknown = assertThrows(TransactionRevertedException.class,
                () -> e.models().publishAdapter(Hash.sha3("x".getBytes()), "m", List.of(BigInteger.valueOf(999))).send());
        assertTrue(unknown.getMessage().contains("UnknownDatanet(999)"), unknown.getMessage());
    }

    @Test
    void rewardsAreClaimedOncePerCumulativeAmount() throws Exception {
        Economy op = as(operator);
        Economy a = as(alice);
        RewardDistributor rewards = op.rewards();
        BigInteger epoch = rewards.currentEpoch().send().add(BigInteger.ONE);
        RewardTree tree1 = new RewardTree(Map.of(alice, OPEN.multiply(BigInteger.TEN), bob, OPEN.multiply(BigInteger.valueOf(5)),
                operator, OPEN));
        rewards.postRoot(epoch, tree1.root()).send();
        BigInteger before = a.token().balanceOf(alice.lowercase()).send();
        a.rewards().claim(alice.lowercase(), tree1.cumulative(alice), tree1.proof(alice)).send();
        assertEquals(before.add(OPEN.multiply(BigInteger.TEN)), a.token().balanceOf(alice.lowercase()).send());

        TransactionRevertedException twice = assertThrows(TransactionRevertedException.class,
                () -> a.rewards().claim(alice.lowercase(), tree1.cumulative(alice), tree1.proof(alice)).send());
        assertTrue(twice.getMessage().contains("NothingToClaim"), twice.getMessage());
        TransactionRevertedException forged = assertThrows(TransactionRevertedException.class,
                () -> a.rewards().claim(alice.lowercase(), OPEN.multiply(BigInteger.valueOf(500)), tree1.proof(alice)).send());
        assertTrue(forged.getMessage().contains("InvalidProof"), forged.getMessage());

        RewardTree tree2 = new RewardTree(Map.of(alice, OPEN.multiply(BigInteger.valueOf(25)), bob,
                OPEN.multiply(BigInteger.valueOf(5))));
        rewards.postRoot(epoch.add(BigInteger.ONE), tree2.root()).send();
        TransactionRevertedException stale = assertThrows(TransactionRevertedException.class,
                () -> rewards.postRoot(epoch, tree2.root()).send());
        assertTrue(stale.getMessage().contains("EpochNotIncreasing"), stale.getMessage());
        // bob claims through alice's sender: claims pay the account, whoever sends them
        a.rewards().claim(bob.lowercase(), tree2.cumulative(bob), tree2.proof(bob)).send();
        a.rewards().claim(alice.lowercase(), tree2.cumulative(alice), tree2.proof(alice)).send();
        assertEquals(before.add(OPEN.multiply(BigInteger.valueOf(25))), a.token().balanceOf(alice.lowercase()).send());
        assertTrue(RewardTree.verify(tree2.proof(bob), tree2.root(), RewardTree.leaf(bob, tree2.cumulative(bob))));
    }

    @Test
    void permitApprovesBySignature() throws Exception {
        Economy a = as(alice);
        OpenToken token = a.token();
        BigInteger nonce = token.nonces(alice.lowercase()).send();
        BigInteger value = OPEN.multiply(BigInteger.valueOf(7));
        BigInteger deadline = BigInteger.valueOf(4_000_000_000L);
        String json = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},
                {"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},
                "primaryType":"Permit","domain":{"name":"OpenLedger","version":"1","chainId":31337,
                "verifyingContract":"%s"},
                "message":{"owner":"%s","spender":"%s","value":"%s","nonce":"%s","deadline":"%s"}}
                """.formatted(deployment.openToken(), alice, bob, value, nonce, deadline);
        TypedData typed = TypedData.parse(json);
        assertArrayEquals(token.DOMAIN_SEPARATOR().send(), new org.web3j.crypto.StructuredDataEncoder(json).hashDomain());
        Signature sig = outboxWalletSign(typed);
        // bob submits alice's signature and pays the gas
        as(bob).token().permit(alice.lowercase(), bob.lowercase(), value, deadline, BigInteger.valueOf(sig.v()),
                sig.r(), sig.s()).send();
        assertEquals(value, token.allowance(alice.lowercase(), bob.lowercase()).send());
    }

    @Test
    void theReviewTellsTheWholeTruth() throws Exception {
        var decoder = Devnet.callDecoder(deployment);
        BigInteger unlimited = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
        byte[] approve = org.web3j.utils.Numeric.hexStringToByteArray(as(alice).token()
                .approve(deployment.stakingVault().lowercase(), unlimited).encodeFunctionCall());
        TransactionRequest r = outbox.prepare(alice, deployment.openToken(), BigInteger.ZERO, approve,
                org.openledger.studio.wallet.chain.FeeSuggestion.Speed.NORMAL);
        var review = outbox.review(alice, r, decoder);
        assertEquals("OpenToken", review.toLabel());
        assertEquals("approve(spender=" + deployment.stakingVault() + ", value=" + unlimited + ")",
                review.call().orElseThrow().signatureWithValues());
        assertEquals(List.of(org.openledger.studio.wallet.review.TransactionReview.Warning.UNLIMITED_APPROVAL),
                review.warnings());
        assertEquals(r.gasLimit().multiply(r.maxFeePerGas()), review.maxFeeCost());
        assertEquals(r.nonce(), review.nonce());

        RewardTree tree = new RewardTree(Map.of(alice, OPEN, bob, OPEN));
        byte[] claim = org.web3j.utils.Numeric.hexStringToByteArray(as(alice).rewards()
                .claim(alice.lowercase(), OPEN, tree.proof(alice)).encodeFunctionCall());
        var claimReview = org.openledger.studio.wallet.review.TransactionReview.of(r.withFees(r.maxFeePerGas(),
                r.maxPriorityFeePerGas()), alice, OPEN, true, decoder);
        var claimCall = decoder.decode(deployment.rewardDistributor(), claim).orElseThrow();
        assertEquals("claim", claimCall.function());
        assertEquals("[0x" + java.util.HexFormat.of().formatHex(tree.proof(alice).get(0)) + "]",
                claimCall.arguments().get(2).value());
        assertTrue(claimReview.warnings().isEmpty() || !claimReview.warnings().contains(
                org.openledger.studio.wallet.review.TransactionReview.Warning.UNKNOWN_CONTRACT));

        var stranger = new org.openledger.studio.wallet.review.CallDecoder();
        TransactionRequest huge = new TransactionRequest(LocalChain.CHAIN_ID, r.nonce(), deployment.stakingVault(),
                OPEN.multiply(BigInteger.valueOf(1_000_000_000)), approve, r.gasLimit(), r.maxFeePerGas(),
                r.maxPriorityFeePerGas());
        var unknown = outbox.review(alice, huge, stranger);
        assertEquals("unknown contract", unknown.toLabel());
        assertTrue(unknown.warnings().containsAll(List.of(
                org.openledger.studio.wallet.review.TransactionReview.Warning.UNKNOWN_CONTRACT,
                org.openledger.studio.wallet.review.TransactionReview.Warning.UNDECODED_DATA,
                org.openledger.studio.wallet.review.TransactionReview.Warning.LOW_BALANCE)), unknown.warnings().toString());

        var fees = client.fees();
        assertTrue(fees.slow().maxPriorityFeePerGas().compareTo(fees.normal().maxPriorityFeePerGas()) <= 0);
        assertTrue(fees.normal().maxPriorityFeePerGas().compareTo(fees.fast().maxPriorityFeePerGas()) <= 0);
        // max fee = base fee x headroom (slow 1.25, normal 2, fast 3) + tip: the levels differ on a chain without tips
        assertEquals(fees.baseFee().multiply(BigInteger.valueOf(3)).add(fees.fast().maxPriorityFeePerGas()),
                fees.fast().maxFeePerGas());
        assertEquals(fees.baseFee().shiftLeft(1).add(fees.normal().maxPriorityFeePerGas()),
                fees.normal().maxFeePerGas());
        assertTrue(fees.baseFee().signum() > 0, "anvil has an EIP-1559 base fee");
        assertTrue(fees.slow().maxFeePerGas().compareTo(fees.normal().maxFeePerGas()) < 0);
        assertTrue(fees.normal().maxFeePerGas().compareTo(fees.fast().maxFeePerGas()) < 0);
        assertTrue(fees.slow().maxFeePerGas().compareTo(fees.baseFee()) > 0, "slow still pays the next base fee");
    }

    private static Signature outboxWalletSign(TypedData typed) {
        return wallet.withKey(alice, k -> new TypedDataSigner().sign(typed, k));
    }

    private static void warp(Duration d) throws java.io.IOException {
        HttpService rpc = new HttpService(chain.rpcUrl());
        new Request<>("evm_increaseTime", List.of(d.toSeconds()), rpc, VoidResponse.class).send();
        new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
    }
}
