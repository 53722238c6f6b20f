package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.Cast;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;

/**
 * {@code studio wallet send}, {@code studio stake} and {@code studio unstake} against a real node and its devnet: the
 * review is printed and nothing is sent without {@code --yes}; with it, approve-then-stake, request to unstake and
 * withdraw (after the cooldown) are mined and move real OPEN; a wrong password and a revert are one stderr line.
 */
class StakingCommandLineTest {

    private static final String RECIPIENT = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    @TempDir
    Path dir;

    @Test
    void stakeAndUnstakeOnTheNodesDevnetWithReviewsAndClearErrors() throws Exception {
        try (StudioDaemon daemon = StudioDaemon.in(dir).startWithChain(60)) {
            Path tokenFile = daemon.tokenFile();
            NodeClient node = daemon.client();
            ChainInfo chain = node.chain();
            String url = daemon.url();
            String openToken = chain.contracts().get("OpenToken");
            String rpc = chain.rpcUrl();

            // a fresh account in a wallet of its own, funded by the devnet's faucet
            Path password = Files.writeString(dir.resolve("password"), "stake me\n");
            Path wrong = Files.writeString(dir.resolve("wrong"), "not it\n");
            String wallet = dir.resolve("wallet").toString();
            String me = FreshKey.importWithCli(dir.resolve("key"), (byte) 0x11, password, "--wallet-dir", wallet);
            node.faucet(me);
            assertEquals("1000000000000000000000", Cast.openOf(openToken, me, rpc));

            List<String> on = List.of("--from", me, "--wallet-dir", wallet, "--url", url, "--token-file",
                    tokenFile.toString());

            // without --yes: the full review of the approval, the stake announced, nothing sent
            String review = ok(args(List.of("stake", "--target", "datanet:7", "--amount", "10"), on));
            for (String field : List.of("Review: 1/2 approve", "From:        " + me, "(OpenToken)",
                    "Call:        OpenToken.approve(", "10000000000000000000", " x max fee ", "Max cost:",
                    "Chain:       Local devnet (31337)", "Nonce:       0", "Not sent", "Then 2/2: stake(")) {
                assertTrue(review.contains(field), field + " in:\n" + review);
            }
            assertEquals("1000000000000000000000", Cast.openOf(openToken, me, rpc), "nothing was sent");

            // wrong password: one line, nothing printed, nothing sent
            oneLineError(run(args(List.of("stake", "--target", "datanet:7", "--amount", "10", "--yes",
                    "--password-file", wrong.toString()), on)), "password");

            // approve then stake, both reviewed and mined
            String staked = ok(args(List.of("stake", "--target", "datanet:7", "--amount", "10", "--yes",
                    "--password-file", password.toString()), on));
            assertEquals(2, staked.lines().filter(l -> l.startsWith("Mined: 0x")).count(), staked);
            assertTrue(staked.contains("Review: 2/2 stake 10 OPEN behind datanet:7"), staked);
            assertTrue(staked.contains("StakingVault.stake("), staked);
            assertTrue(staked.contains("active 10 OPEN, unbonding 0 OPEN"), staked);
            assertEquals("990000000000000000000", Cast.openOf(openToken, me, rpc), "the stake left the account");

            // request to unstake: the OPEN is unbonding for the cooldown
            String requested = ok(args(List.of("unstake", "--target", "datanet:7", "--amount", "4", "--yes",
                    "--password-file", password.toString()), on));
            assertTrue(requested.contains("StakingVault.requestUnstake("), requested);
            assertTrue(requested.contains("active 6 OPEN, unbonding 4 OPEN, withdrawable from "), requested);

            // withdrawing before the cooldown reverts: the decoded reason in one line, nothing sent
            oneLineError(run(args(List.of("unstake", "--target", "datanet:7", "--withdraw", "--yes",
                    "--password-file", password.toString()), on)), "CooldownNotOver");
            // unstaking more than is staked: the contract's own error and its arguments
            oneLineError(run(args(List.of("unstake", "--target", "datanet:7", "--amount", "100", "--yes",
                    "--password-file", password.toString()), on)), "InsufficientStake");

            // after the cooldown (3 days on the devnet's clock) the withdrawal pays out
            Cast.run("rpc", "evm_increaseTime", "259201", "--rpc-url", rpc);
            Cast.run("rpc", "evm_mine", "--rpc-url", rpc);
            String withdrawn = ok(args(List.of("unstake", "--target", "datanet:7", "--withdraw", "--yes",
                    "--password-file", password.toString()), on));
            assertTrue(withdrawn.contains("active 6 OPEN, unbonding 0 OPEN\n") || withdrawn.endsWith("unbonding 0 OPEN"),
                    withdrawn);
            assertEquals("994000000000000000000", Cast.openOf(openToken, me, rpc));

            // a plain transfer of gas token, and bad input in one line
            String sent = ok(args(List.of("wallet", "send", "--to", RECIPIENT, "--value", "12345", "--yes",
                    "--password-file", password.toString()), on));
            assertTrue(sent.contains("Call:        none (plain transfer)"), sent);
            assertTrue(sent.contains("Mined: 0x"), sent);
            // fee levels: --fee fast pays a higher max fee per gas than normal (read back from the mined transactions)
            String normal = ok(args(List.of("wallet", "send", "--to", RECIPIENT, "--value", "1", "--fee", "normal",
                    "--yes", "--password-file", password.toString()), on));
            String fast = ok(args(List.of("wallet", "send", "--to", RECIPIENT, "--value", "1", "--fee", "fast",
                    "--yes", "--password-file", password.toString()), on));
            assertTrue(fast.contains("(fee level fast)"), fast);
            BigInteger normalMax = maxFeePerGas(minedHash(normal), rpc);
            BigInteger fastMax = maxFeePerGas(minedHash(fast), rpc);
            assertTrue(fastMax.compareTo(normalMax) > 0, "fast " + fastMax + " > normal " + normalMax);
            String slowReview = ok(args(List.of("unstake", "--target", "datanet:7", "--amount", "1", "--fee", "slow"),
                    on));
            assertTrue(slowReview.contains("(fee level slow)") && slowReview.contains("Not sent"), slowReview);
            oneLineError(run(args(List.of("wallet", "send", "--to", RECIPIENT, "--fee", "ludicrous"), on)),
                    "--fee must be slow, normal or fast");

            // signed and saved but never sent (the studio died between the two): `wallet pending` lists it and
            // --resend sends those very bytes, once
            assertTrue(ok(args(List.of("wallet", "pending"), on)).startsWith("Nothing pending for " + me));
            String saved = signWithoutSending(Path.of(wallet), me, "stake me", rpc);
            String listed = ok(args(List.of("wallet", "pending"), on));
            assertTrue(listed.contains(saved + "  signed, not sent"), listed);
            String resent = ok(args(List.of("wallet", "pending", "--resend"), on));
            assertTrue(resent.startsWith("Resent 1 of 1"), resent);
            waitMined(saved, rpc);
            assertTrue(ok(args(List.of("wallet", "pending"), on)).startsWith("Nothing pending"));

            oneLineError(run(args(List.of("stake", "--target", "pool:1", "--amount", "1"), on)), "datanet, model "
                    + "or node");
            oneLineError(run(args(List.of("wallet", "send", "--to", RECIPIENT, "--yes"), on)), "--password-file");

            // straight to an RPC: the chain id is checked first; staking needs the contracts a node publishes
            List<String> direct = List.of("--from", me, "--wallet-dir", wallet, "--rpc-url", rpc, "--chain-id");
            String review2 = ok(args(List.of("wallet", "send", "--to", RECIPIENT, "--value", "1"),
                    args(direct, List.of("31337"))));
            assertTrue(review2.contains("Chain:       Custom RPC (31337)") && review2.contains("Not sent"), review2);
            oneLineError(run(args(List.of("wallet", "send", "--to", RECIPIENT, "--value", "1", "--yes",
                    "--password-file", password.toString()), args(direct, List.of("1612")))), "serves chain 31337");
            oneLineError(run(args(List.of("stake", "--target", "node:1", "--amount", "1"),
                    args(direct, List.of("31337")))), "needs the OPEN contracts");
        }
    }

    /** Signs a 0-value call to RECIPIENT from {@code me} into the CLI wallet's own nonce book; sends nothing. */
    private static String signWithoutSending(Path wallet, String me, String password, String rpc) {
        org.openledger.studio.wallet.Wallet w = new org.openledger.studio.wallet.Wallet(wallet,
                new org.openledger.studio.wallet.Keystore(org.openledger.studio.wallet.ScryptParams.STANDARD,
                        new SecureRandom()), java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(5));
        org.openledger.studio.wallet.Address from = org.openledger.studio.wallet.Address.parse(me);
        w.unlock(from, org.openledger.studio.wallet.Secret.of(password.toCharArray()));
        try (var client = new org.openledger.studio.wallet.chain.ChainClient(rpc, 31337,
                org.openledger.studio.wallet.devnet.Devnet.revertDecoder());
             var book = org.openledger.studio.wallet.chain.NonceBook.open(wallet.resolve("transactions.db"),
                     java.time.Clock.systemUTC())) {
            var outbox = new org.openledger.studio.wallet.chain.Outbox(client, book, w);
            return outbox.sign(from, outbox.prepare(from, org.openledger.studio.wallet.Address.parse(RECIPIENT),
                    BigInteger.ZERO, null, org.openledger.studio.wallet.chain.FeeSuggestion.Speed.NORMAL),
                    "saved, then the studio died").hash();
        } finally {
            w.lock();
        }
    }

    private static void waitMined(String hash, String rpc) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (var client = new org.openledger.studio.wallet.chain.ChainClient(rpc, 31337,
                    org.openledger.studio.wallet.devnet.Devnet.revertDecoder())) {
                if (client.receipt(hash).isPresent()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(hash + " was not mined");
    }


    /** The mined transaction's max fee per gas, as the chain has it. */
    private static BigInteger maxFeePerGas(String hash, String rpc) throws Exception {
        JsonNode tx = Wire.mapper().readTree(Cast.run("tx", hash, "--json", "--rpc-url", rpc));
        String value = tx.path("maxFeePerGas").asText();
        assertTrue(value.startsWith("0x"), tx.toString());
        return new BigInteger(value.substring(2), 16);
    }

    private static String minedHash(String output) {
        return output.lines().filter(l -> l.startsWith("Mined: 0x")).findFirst().orElseThrow()
                .substring("Mined: ".length(), "Mined: ".length() + 66);
    }


    private static void oneLineError(Run r, String mentions) {
        InJvmCli.assertOneLineError(r, mentions);
        assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
    }




}
