package org.openledger.studio.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;

/** The devnet launcher, the chain client's checks and the nonce book's recovery, all on a real anvil. */
class LocalChainTest {

    private static final Address BOB = Address.parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

    private static Wallet devWallet(Path dir) {
        Wallet w = new Wallet(dir, new Keystore(new ScryptParams(1 << 12, 8, 1), new SecureRandom()),
                Clock.systemUTC(), Duration.ofMinutes(5));
        try (Mnemonic m = Mnemonic.parse(Secret.of(LocalChain.DEV_MNEMONIC.toCharArray()))) {
            Address a = w.createFromMnemonic(m, Secret.of("pw".toCharArray())).address();
            w.unlock(a, Secret.of("pw".toCharArray()));
        }
        return w;
    }

    @Test
    void stateSurvivesARestart(@TempDir Path dir) {
        FoundryTools tools = FoundryTools.fromEnvironment();
        Wallet wallet = devWallet(dir.resolve("wallet"));
        Address alice = wallet.accounts().get(0).address();
        BigInteger before;
        try (LocalChain chain = LocalChain.start(tools, dir.resolve("chain"));
             ChainClient client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            assertEquals(31337, client.chainId());
            before = client.balance(BOB);
            Outbox outbox = new Outbox(client, book, wallet);
            TransactionRequest r = outbox.prepare(alice, BOB, ONE_ETH, new byte[0], FeeSuggestion.Speed.NORMAL);
            assertEquals(BigInteger.valueOf(21000), r.gasLimit(), "a plain transfer needs exactly 21000 gas");
            SignedTransaction tx = outbox.sign(alice, r, "pay bob");
            outbox.settle(outbox.broadcast(tx), Duration.ofSeconds(10));
            assertEquals(PendingTransaction.Status.MINED, book.find(tx.hash()).orElseThrow().status());
        }
        assertTrue(Files.exists(dir.resolve("chain/anvil-state.json")));
        try (LocalChain again = LocalChain.start(tools, dir.resolve("chain"));
             ChainClient client = new ChainClient(again.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder())) {
            assertEquals(before.add(ONE_ETH), client.balance(BOB));
            assertEquals(BigInteger.ONE, client.nonce(alice, false));
        }
    }

    @Test
    void aWrongChainIsRefusedBeforeSigning(@TempDir Path dir) {
        Wallet wallet = devWallet(dir.resolve("wallet"));
        Address alice = wallet.accounts().get(0).address();
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("chain"));
             ChainClient mainnet = new ChainClient(chain.rpcUrl(), 1612, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            TransactionRequest r = new TransactionRequest(1612, BigInteger.ZERO, BOB, ONE_ETH, null,
                    BigInteger.valueOf(21000), BigInteger.valueOf(2_000_000_000L), BigInteger.ONE);
            Outbox outbox = new Outbox(mainnet, book, wallet);
            ChainMismatchException e = assertThrows(ChainMismatchException.class, () -> outbox.sign(alice, r, ""));
            assertTrue(e.getMessage().contains("31337") && e.getMessage().contains("1612"), e.getMessage());
            assertTrue(book.history(1612, alice).isEmpty(), "nothing was signed or saved");
        }
    }

    @Test
    void aDeadNodeBetweenSigningAndBroadcastNeverDuplicates(@TempDir Path dir) {
        FoundryTools tools = FoundryTools.fromEnvironment();
        Wallet wallet = devWallet(dir.resolve("wallet"));
        Address alice = wallet.accounts().get(0).address();
        SignedTransaction tx;
        BigInteger bobBefore;
        try (LocalChain chain = LocalChain.start(tools, dir.resolve("chain"));
             ChainClient client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            bobBefore = client.balance(BOB);
            Outbox outbox = new Outbox(client, book, wallet);
            tx = outbox.sign(alice, outbox.prepare(alice, BOB, ONE_ETH, null, FeeSuggestion.Speed.FAST), "pay bob");
            chain.close(); // the node dies after signing, before broadcasting
            BroadcastFailedException e = assertThrows(BroadcastFailedException.class, () -> outbox.broadcast(tx));
            assertTrue(e.getMessage().contains(tx.hash()), e.getMessage());
            assertEquals(PendingTransaction.Status.SIGNED, book.find(tx.hash()).orElseThrow().status());
        }
        // the studio restarts: a new nonce book on the same file, the node comes back on another port
        try (LocalChain back = LocalChain.start(tools, dir.resolve("chain"));
             ChainClient client = new ChainClient(back.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            Outbox outbox = new Outbox(client, book, wallet);
            assertEquals(BigInteger.ONE, book.nextNonce(LocalChain.CHAIN_ID, alice, client.nonce(alice, true)),
                    "the saved transaction keeps nonce 0 reserved");
            assertEquals(PendingTransaction.Status.SIGNED, outbox.history(alice).get(0).status(),
                    "reading the history sends nothing");
            assertThrows(ChainException.class, () -> outbox.unsent("0x" + "ab".repeat(32)));
            assertEquals(tx.hash(), outbox.unsent(tx.hash()).hash(), "the saved bytes, to send by hand");
            List<PendingTransaction> waiting = outbox.resume(alice);
            assertEquals(List.of(tx.hash()), waiting.stream().map(PendingTransaction::hash).toList());
            outbox.settle(tx.hash(), Duration.ofSeconds(10));
            // resuming again sends the same bytes: the node refuses the used nonce and the book sees it was mined
            assertTrue(outbox.resume(alice).isEmpty());
            assertThrows(NonceTooLowException.class, () -> outbox.broadcast(tx));
            ChainException notWaiting = assertThrows(ChainException.class, () -> outbox.unsent(tx.hash()));
            assertTrue(notWaiting.getMessage().contains("is mined, not waiting"), notWaiting.getMessage());
            assertEquals(PendingTransaction.Status.MINED, book.find(tx.hash()).orElseThrow().status());
            assertEquals(bobBefore.add(ONE_ETH), client.balance(BOB), "paid exactly once");
            assertEquals(BigInteger.ONE, client.nonce(alice, false));
        }
    }

    @Test
    void insufficientFundsAndNonceGapsAreClearAndFreeTheNonce(@TempDir Path dir) {
        Wallet wallet = devWallet(dir.resolve("wallet"));
        Address alice = wallet.accounts().get(0).address();
        Address poor = wallet.addHdAccount(Secret.of("pw".toCharArray()), "poor").address();
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("chain"));
             ChainClient client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            Outbox outbox = new Outbox(client, book, wallet);
            // account 1 of the dev phrase is funded by anvil; drain-free check with an absurd value instead
            wallet.unlock(poor, Secret.of("pw".toCharArray()));
            TransactionRequest tooMuch = new TransactionRequest(LocalChain.CHAIN_ID, BigInteger.ZERO, BOB,
                    ONE_ETH.multiply(BigInteger.valueOf(1_000_000)), null, BigInteger.valueOf(21000),
                    BigInteger.valueOf(2_000_000_000L), BigInteger.ONE);
            SignedTransaction signed = outbox.sign(poor, tooMuch, "too much");
            InsufficientFundsException e = assertThrows(InsufficientFundsException.class,
                    () -> outbox.broadcast(signed));
            assertTrue(e.getMessage().contains(poor.toString()), e.getMessage());
            assertEquals(PendingTransaction.Status.DROPPED, book.find(signed.hash()).orElseThrow().status());
            assertEquals(BigInteger.ZERO, book.nextNonce(LocalChain.CHAIN_ID, poor, client.nonce(poor, true)));

            // a transaction saved at nonce 2 with nothing at nonce 0 and 1 is a gap
            TransactionRequest later = new TransactionRequest(LocalChain.CHAIN_ID, BigInteger.TWO, BOB, BigInteger.ONE,
                    null, BigInteger.valueOf(21000), BigInteger.valueOf(2_000_000_000L), BigInteger.ONE);
            outbox.sign(alice, later, "out of order");
            NonceGapException gap = assertThrows(NonceGapException.class,
                    () -> outbox.prepare(alice, BOB, BigInteger.ONE, null, FeeSuggestion.Speed.SLOW));
            assertTrue(gap.getMessage().contains("Nonce 0"), gap.getMessage());
        }
    }

    @Test
    void aPendingTransactionCanBeSpedUpOrCancelled(@TempDir Path dir) throws Exception {
        Wallet wallet = devWallet(dir.resolve("wallet"));
        Address alice = wallet.accounts().get(0).address();
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("chain"));
             ChainClient client = new ChainClient(chain.rpcUrl(), LocalChain.CHAIN_ID, new RevertDecoder());
             NonceBook book = NonceBook.open(dir.resolve("wallet.db"), Clock.systemUTC())) {
            Outbox outbox = new Outbox(client, book, wallet);
            rpc(chain, "evm_setAutomine", false);
            BigInteger bobBefore = client.balance(BOB);
            SignedTransaction slow = outbox.sign(alice,
                    outbox.prepare(alice, BOB, ONE_ETH, null, FeeSuggestion.Speed.SLOW), "pay bob");
            outbox.broadcast(slow);
            SignedTransaction faster = outbox.speedUp(slow.hash(), client.fees().fast());
            assertEquals(slow.nonce(), faster.nonce());
            outbox.broadcast(faster);
            rpc(chain, "evm_mine");
            outbox.settle(faster.hash(), Duration.ofSeconds(10));
            assertEquals(PendingTransaction.Status.REPLACED, book.find(slow.hash()).orElseThrow().status());
            assertEquals(bobBefore.add(ONE_ETH), client.balance(BOB), "only one of the two was mined");

            SignedTransaction second = outbox.sign(alice,
                    outbox.prepare(alice, BOB, ONE_ETH, null, FeeSuggestion.Speed.SLOW), "pay bob again");
            assertEquals(BigInteger.ONE, second.nonce());
            outbox.broadcast(second);
            SignedTransaction cancel = outbox.cancel(second.hash(), client.fees().fast());
            outbox.broadcast(cancel);
            rpc(chain, "evm_mine");
            outbox.settle(cancel.hash(), Duration.ofSeconds(10));
            assertTrue(outbox.resume(alice).isEmpty());
            assertEquals(PendingTransaction.Status.REPLACED, book.find(second.hash()).orElseThrow().status());
            assertEquals(bobBefore.add(ONE_ETH), client.balance(BOB), "the cancelled payment never happened");
            assertNotEquals(second.hash(), cancel.hash());
            assertFalse(book.history(LocalChain.CHAIN_ID, alice).isEmpty());
        }
    }

    @Test
    void aMissingAnvilIsNamed(@TempDir Path dir) {
        var e = assertThrows(org.openledger.studio.wallet.WalletException.class, () -> FoundryTools.in(dir));
        assertTrue(e.getMessage().contains("npm ci"), e.getMessage());
    }

    static void rpc(LocalChain chain, String method, Object... params) throws java.io.IOException {
        var response = new org.web3j.protocol.core.Request<>(method, List.of(params),
                new org.web3j.protocol.http.HttpService(chain.rpcUrl()),
                org.web3j.protocol.core.methods.response.VoidResponse.class).send();
        if (response.hasError()) {
            throw new AssertionError(method + ": " + response.getError().getMessage());
        }
    }
}
