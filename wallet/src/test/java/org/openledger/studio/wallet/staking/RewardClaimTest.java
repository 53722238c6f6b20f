package org.openledger.studio.wallet.staking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.FoundryTools;
import org.openledger.studio.wallet.chain.LocalChain;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.chain.WalletTransactionManager;
import org.openledger.studio.wallet.devnet.Deployment;
import org.openledger.studio.wallet.devnet.Devnet;
import org.openledger.studio.wallet.devnet.Economy;
import org.openledger.studio.wallet.signing.TransactionRequest;

/**
 * {@link RewardClaim} on a real devnet: a proof is refused before signing when it does not verify, when its root is
 * not the distributor's, or when everything is claimed (the contract's {@code NothingToClaim}, decoded); a good one
 * gives the {@code claim} call, which anyone may send, and the amount paid is read from the {@code Claimed} event.
 */
class RewardClaimTest {

    private static final BigInteger OPEN = Devnet.OPEN;

    @TempDir
    Path dir;

    @Test
    void checkedBeforeSigningPaidOnceAndThenOnlyTheDifference() throws Exception {
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("chain"));
             ChainClient client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, Devnet.revertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("nonces.db"), Clock.systemUTC())) {
            Wallet wallet = new Wallet(dir.resolve("wallet"), new Keystore(new ScryptParams(1 << 12, 8, 1),
                    new SecureRandom()), Clock.systemUTC(), Duration.ofMinutes(30));
            Address operator;
            try (Mnemonic m = Mnemonic.parse(Secret.of(LocalChain.DEV_MNEMONIC.toCharArray()))) {
                operator = wallet.createFromMnemonic(m, Secret.of("pw".toCharArray())).address();
            }
            Address alice = wallet.addHdAccount(Secret.of("pw".toCharArray()), "alice").address();
            Address bob = wallet.addHdAccount(Secret.of("pw".toCharArray()), "bob").address();
            for (Address a : List.of(operator, alice, bob)) {
                wallet.unlock(a, Secret.of("pw".toCharArray()));
            }
            Outbox outbox = new Outbox(client, book, wallet);
            Devnet devnet = new Devnet(client, outbox, operator, Clock.systemUTC());
            Deployment d = devnet.deployOnce(dir.resolve("chain"));
            devnet.faucet(d, bob, OPEN);
            Economy asOperator = Economy.load(d, client.web3j(), new WalletTransactionManager(client, outbox,
                    operator, Duration.ofSeconds(30)));

            assertThrows(ClaimRefusedException.class, () -> new RewardClaim(client, Map.of()));
            RewardClaim claims = new RewardClaim(client, Map.of(RewardClaim.CONTRACT, d.rewardDistributor().toString()));
            assertEquals(d.rewardDistributor(), claims.distributor());

            RewardTree first = new RewardTree(Map.of(alice, OPEN.multiply(BigInteger.TEN), bob, OPEN));
            asOperator.rewards().postRoot(BigInteger.ONE, first.root()).send();
            RewardClaim.Proof proof = new RewardClaim.Proof(alice, 1, first.cumulative(alice), first.proof(alice),
                    first.root());

            // a proof that does not verify is refused before anything reaches the chain
            ClaimRefusedException forged = assertThrows(ClaimRefusedException.class, () -> claims.request(bob,
                    new RewardClaim.Proof(alice, 1, OPEN.multiply(BigInteger.valueOf(500)), first.proof(alice),
                            first.root())));
            assertTrue(forged.getMessage().contains("does not verify"), forged.getMessage());

            // bob sends alice's claim: the OPEN goes to alice
            RewardClaim.Request request = claims.request(bob, proof);
            assertEquals(BigInteger.ZERO, request.alreadyClaimed());
            assertEquals(OPEN.multiply(BigInteger.TEN), request.amount());
            assertEquals(d.rewardDistributor(), request.call().to());
            BigInteger before = asOperator.token().balanceOf(alice.lowercase()).send();
            RewardClaim.Claimed paid = send(outbox, claims, bob, request);
            assertEquals(alice, paid.account());
            assertEquals(OPEN.multiply(BigInteger.TEN), paid.amount());
            assertEquals(1, paid.epoch());
            assertEquals(before.add(OPEN.multiply(BigInteger.TEN)), asOperator.token().balanceOf(alice.lowercase())
                    .send());
            assertEquals(OPEN.multiply(BigInteger.TEN), claims.claimed(alice));

            // all claimed: the contract's own refusal, decoded, before signing
            ClaimRefusedException twice = assertThrows(ClaimRefusedException.class, () -> claims.request(bob, proof));
            assertTrue(twice.getMessage().contains("NothingToClaim(" + OPEN.multiply(BigInteger.TEN) + ", "
                    + OPEN.multiply(BigInteger.TEN) + ")"), twice.getMessage());

            // a newer epoch: the old proof's root is no longer the distributor's; the new one pays the difference
            RewardTree second = new RewardTree(Map.of(alice, OPEN.multiply(BigInteger.valueOf(25)), bob, OPEN));
            asOperator.rewards().postRoot(BigInteger.TWO, second.root()).send();
            ClaimRefusedException stale = assertThrows(ClaimRefusedException.class, () -> claims.request(alice,
                    proof));
            assertTrue(stale.getMessage().contains("holds the root of epoch 2"), stale.getMessage());
            RewardClaim.Request more = claims.request(alice, new RewardClaim.Proof(alice, 2,
                    second.cumulative(alice), second.proof(alice), second.root()));
            assertEquals(OPEN.multiply(BigInteger.valueOf(15)), more.amount());
            assertEquals(OPEN.multiply(BigInteger.valueOf(15)), send(outbox, claims, alice, more).amount());

            ClaimRefusedException unreadable = assertThrows(ClaimRefusedException.class, () -> RewardClaim.Proof
                    .parse(alice.toString(), 2, "12", List.of("0x1234"), RewardClaim.hex(second.root())));
            assertTrue(unreadable.getMessage().contains("not readable"), unreadable.getMessage());
        }
    }

    private static RewardClaim.Claimed send(Outbox outbox, RewardClaim claims, Address from,
                                            RewardClaim.Request request) {
        TransactionRequest r = outbox.prepare(from, request.call().to(), BigInteger.ZERO, request.call().data(),
                FeeSuggestion.Speed.NORMAL);
        String hash = outbox.broadcast(outbox.sign(from, r, request.call().description()));
        return claims.settle(outbox, hash, Duration.ofSeconds(30));
    }
}
