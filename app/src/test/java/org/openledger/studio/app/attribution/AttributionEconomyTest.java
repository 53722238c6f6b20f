package org.openledger.studio.app.attribution;

import static org.junit.jupiter.api.Assertions.*;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.CompletionResponse;
import org.openledger.studio.app.Cast;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;

/**
 * Attribution pays, end to end over real parts: a real {@code studio daemon} with its devnet and the bundled model,
 * two contributors uploading signed contributions into one Datanet (an original row among ordinary ones, and a
 * spammer's 50 near-copies of it), a LoRA trained on the Datanet, 20 inferences on the adapter charged at the node's
 * price, settled into an epoch, and claimed: each claim pays exactly the sum of the account's credits in the records,
 * the spammer's copies earn nothing (the original came first), every wei of the fees is credited, and a second settle
 * pays nothing new.
 */
class AttributionEconomyTest {

    // anvil's account 1 (funded with gas on the devnet) and a spammer's key
    private static final String ALICE_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String SPAMMER_KEY = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3ae78a7dd1b32f23";
    private static final String OWNER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    private static final String PLATFORM = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
    private static final String ORIGINAL = "The lighthouse of Varn on the northern cape is painted in stripes of"
            + " cobalt and saffron every spring by the keepers of the harbour";

    @TempDir
    Path dir;

    @Test
    void feesOfAttributedInferencesAreSettledAndClaimedExactlyAndCopiesEarnNothing() throws Exception {
        try (StudioDaemon daemon = StudioDaemon.in(dir)
                .jvm("-Xmx1g", "-Dstudio.log.level=WARN", "-Dai.djl.pytorch.num_threads=2")
                .args("--owner-account", OWNER, "--platform-account", PLATFORM).startWithChain(120)) {
            NodeClient node = daemon.client();
            String url = daemon.url();
            Path tokenFile = daemon.tokenFile();
            var chain = node.chain();
            String rpc = chain.rpcUrl();
            String openToken = chain.contracts().get("OpenToken");

            // two contributors, one Datanet (registry id 7): the original among ordinary rows, then 50 near-copies
            StringBuilder alice = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                alice.append("{\"text\": \"Day ").append(i).append(": the ferry to the island left at ")
                        .append(6 + i % 5).append(" in the morning with ").append(10 + i).append(" sheep aboard\"}\n");
            }
            alice.append("{\"text\": \"").append(ORIGINAL).append("\"}\n");
            StringBuilder spam = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                spam.append("{\"text\": \"").append(ORIGINAL).append(" ").append(i).append("\"}\n");
            }
            String aliceAccount = contribute("alice", ALICE_KEY, alice.toString(), url, tokenFile);
            String spammerAccount = contribute("spammer", SPAMMER_KEY, spam.toString(), url, tokenFile);
            // carol's rows are her own, but her contribution is under an open challenge on chain: they earn nothing
            StringBuilder carol = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                carol.append("{\"text\": \"The bakery of Olm bakes ").append(20 + i)
                        .append(" loaves of rye before the bells\"}\n");
            }
            String carolHex = FreshKey.hex((byte) 0x14);
            String carolAccount = contribute("carol", carolHex, carol.toString(), url, tokenFile);
            node.faucet(carolAccount);
            var uploads = new org.openledger.studio.datanet.node.HttpRegistryClient(node)
                    .contributions(BigInteger.valueOf(7));
            String aliceRoot = uploads.stream().filter(u -> u.contributor().equalsIgnoreCase(aliceAccount))
                    .findFirst().orElseThrow().merkleRoot();
            String carolRoot = uploads.stream().filter(u -> u.contributor().equalsIgnoreCase(carolAccount))
                    .findFirst().orElseThrow().merkleRoot();
            String registryAddress = chain.contracts().get("DatanetRegistry");
            Cast.run("send", registryAddress, "createDatanet(bytes32)", "0x" + "ab".repeat(32), "--private-key",
                    "0x" + ALICE_KEY, "--rpc-url", rpc);
            Cast.run("send", registryAddress, "contribute(uint256,bytes32,uint64,uint256)", "1", aliceRoot, "31", "0",
                    "--private-key", "0x" + ALICE_KEY, "--rpc-url", rpc);
            Cast.run("send", registryAddress, "contribute(uint256,bytes32,uint64,uint256)", "1", carolRoot, "10", "0",
                    "--private-key", "0x" + carolHex, "--rpc-url", rpc);
            Cast.run("send", registryAddress, "challenge(uint256,uint256,bytes32)", "2", "1", "0x" + "cd".repeat(32),
                    "--private-key", "0x" + ALICE_KEY, "--rpc-url", rpc);

            FineTuneJob job = node.createFineTuneJob(new FineTuneRequest(null, null, List.of("7"),
                    new FineTuneRequest.Hyperparameters(3, 8, 4.0, 0.0, null, null), null, "varn", 5L));
            Instant until = Instant.now().plusSeconds(300);
            while (!(job = node.fineTuneJob(job.id())).finished()) {
                assertTrue(Instant.now().isBefore(until), "the job did not finish");
                Thread.sleep(200);
            }
            assertEquals("succeeded", job.status(), String.valueOf(job.error()));
            String adapter = job.fineTunedModel();
            awaitIndex(node, adapter);

            // two stakers behind the adapter's on-chain id (model:1), 30 and 10 OPEN: the stakers' part 3:1
            String big = staker("big", "30", url, tokenFile, node);
            String small = staker("small", "10", url, tokenFile, node);
            node.setPrice(new org.openledger.studio.api.attribution.Pricing.Price(adapter, "0.01", "0.02", "0.001",
                    OWNER, List.of("model:1")));

            // 20 paid inferences
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletionResponse c = node.post("v1/completions", Map.of("model", adapter, "prompt",
                        i % 3 == 0 ? "The lighthouse of Varn" : i % 3 == 1 ? "The bakery of Olm bakes"
                                : "Day " + i + ": the ferry", "max_tokens", 12,
                        "temperature", 0.7, "seed", i), CompletionResponse.class);
                assertNotNull(c.attributionId());
                ids.add(c.attributionId());
            }
            Map<String, BigInteger> expected = new HashMap<>();
            boolean carolInfluential = false;
            BigInteger fees = BigInteger.ZERO;
            BigInteger credited = BigInteger.ZERO;
            for (String id : ids) {
                AttributionRecord r = awaitRecord(node, id);
                assertEquals("done", r.state(), r.error());
                carolInfluential |= r.influence().stream().anyMatch(x -> carolAccount.equalsIgnoreCase(x.contributor())
                        && x.score() > 0);
                assertTrue(r.contributors().stream().noneMatch(x -> x.contributor().equalsIgnoreCase(carolAccount)),
                        "a challenged contribution gets no share: " + r.contributors() + "\n" + tail(daemon.log()));
                fees = fees.add(new BigInteger(r.charge().feeWei()));
                for (AttributionRecord.Credit credit : r.charge().credits()) {
                    expected.merge(credit.account().toLowerCase(), new BigInteger(credit.amountWei()), BigInteger::add);
                    credited = credited.add(new BigInteger(credit.amountWei()));
                }
            }
            assertEquals(fees, credited, "owner + stakers + contributors + platform = the fees collected");
            assertTrue(carolInfluential, "carol's rows did shape answers (so the challenge is what kept her share)");
            assertEquals(BigInteger.ZERO, expected.getOrDefault(carolAccount.toLowerCase(), BigInteger.ZERO));
            BigInteger aliceExpected = expected.getOrDefault(aliceAccount.toLowerCase(), BigInteger.ZERO);
            assertTrue(aliceExpected.signum() > 0, "the original's contributor earns: " + expected);
            assertEquals(BigInteger.ZERO, expected.getOrDefault(spammerAccount.toLowerCase(), BigInteger.ZERO),
                    "the later copies earn nothing: " + expected);
            assertTrue(expected.getOrDefault(OWNER.toLowerCase(), BigInteger.ZERO).signum() > 0);
            BigInteger bigStake = expected.getOrDefault(big.toLowerCase(), BigInteger.ZERO);
            BigInteger smallStake = expected.getOrDefault(small.toLowerCase(), BigInteger.ZERO);
            assertTrue(smallStake.signum() > 0, "stakers are paid: " + expected);
            // 3:1 within the rounding of each inference (a wei per inference and staker)
            assertTrue(bigStake.subtract(smallStake.multiply(BigInteger.valueOf(3))).abs()
                    .compareTo(BigInteger.valueOf(80)) <= 0, bigStake + " vs " + smallStake);
            assertEquals(BigInteger.TEN.pow(15).multiply(BigInteger.valueOf(20)),
                    expected.get(PLATFORM.toLowerCase()), "0.001 OPEN a request to the platform");
            // the ledger lists each credit with its attribution record
            var aliceCredits = node.rewardCredits(aliceAccount);
            assertEquals(aliceExpected.toString(), aliceCredits.totalWei());
            assertTrue(aliceCredits.data().stream().allMatch(c -> c.reason().startsWith("attribution attr-")),
                    aliceCredits.toString());

            // settle, claim: exactly the credits, to the wei
            List<String> at = List.of("--url", url, "--token-file", tokenFile.toString());
            String settled = ok(args(List.of("rewards", "settle"), at));
            assertTrue(settled.startsWith("Epoch 1 posted"), settled);
            String before = Cast.openOf(openToken, aliceAccount, rpc);
            claim("alice", ALICE_KEY, aliceAccount, at);
            assertEquals(new BigInteger(before).add(aliceExpected).toString(), Cast.openOf(openToken, aliceAccount, rpc));
            InJvmCli.Run spammerClaim = run(args(List.of("claim", "--yes", "--from", spammerAccount, "--wallet-dir",
                    dir.resolve("spammer-wallet").toString(), "--password-file", dir.resolve("pw").toString()), at));
            assertNotEquals(0, spammerClaim.code(), "the spammer has nothing to claim: " + spammerClaim.out());
            // the CLI: records listed and exported, the account's earnings
            var listed = Wire.mapper().readTree(ok(args(List.of("attribution", "list", "--model", adapter,
                    "--json"), at)));
            assertEquals(20, listed.size());
            Path csv = dir.resolve("records.csv");
            assertTrue(ok(args(List.of("attribution", "export", "--model", adapter, "--out", csv.toString()), at))
                    .contains("Wrote 20 records"));
            BigInteger aliceInCsv = Files.readAllLines(csv).stream().map(l -> l.split(",", -1))
                    .filter(f -> f[4].equals("credit") && f[10].equalsIgnoreCase(aliceAccount))
                    .map(f -> new BigInteger(f[12])).reduce(BigInteger.ZERO, BigInteger::add);
            assertEquals(aliceExpected, aliceInCsv, "the CSV's credits of the contributor add up to her claim");
            var earnings = Wire.mapper().readTree(ok(args(List.of("rewards", "earnings", "--account", aliceAccount,
                    "--json"), at)));
            assertEquals(aliceExpected.toString(), earnings.path("earnings").path("settled_wei").asText());
            assertEquals("0", earnings.path("claimable_wei").asText(), "claimed already");
            assertEquals(aliceExpected.toString(), earnings.path("by_model").path(adapter).asText());
            assertEquals(aliceExpected.toString(), earnings.path("earnings").path("by_role").path("contributor")
                    .asText());
            assertEquals(aliceExpected.toString(), earnings.path("earnings").path("by_datanet").path("7").asText(),
                    "all of it through Datanet 7");
            // nothing new: a second settle posts no epoch
            InJvmCli.Run again = run(args(List.of("rewards", "settle"), at));
            assertNotEquals(0, again.code());
            assertTrue(again.err().toLowerCase().contains("no credits since epoch 1"), again.err());
        }
    }

    /** A new account with faucet OPEN and gas that stakes {@code open} behind model:1; its address. */
    private String staker(String who, String open, String url, Path tokenFile, NodeClient node) throws Exception {
        Files.writeString(dir.resolve("pw"), "pay me\n");
        String wallet = dir.resolve(who + "-wallet").toString();
        String me = FreshKey.importWithCli(dir.resolve(who + ".key"), (byte) 0x13, dir.resolve("pw"), "--wallet-dir",
                wallet);
        node.faucet(me);
        String staked = ok("stake", "--target", "model:1", "--amount", open, "--yes", "--from", me, "--wallet-dir",
                wallet, "--url", url, "--token-file", tokenFile.toString(), "--password-file",
                dir.resolve("pw").toString());
        assertTrue(staked.contains("Mined: 0x"), staked);
        return me;
    }

    /** A contributor's workspace, one Datanet of {@code jsonl}, uploaded signed to registry id 7; their address. */
    private String contribute(String who, String key, String jsonl, String url, Path tokenFile) throws Exception {
        String home = dir.resolve(who + "-home").toString();
        Path data = Files.writeString(dir.resolve(who + ".jsonl"), jsonl);
        Path keyFile = Files.writeString(dir.resolve(who + ".key"), key);
        ok("datanet", "create", "Varn", "--home", home);
        ok("datanet", "add", "--datanet", "Varn", data.toString(), "--home", home);
        String out = ok("datanet", "upload", "--datanet", "Varn", "--registry-id", "7", "--node", url,
                "--token-file", tokenFile.toString(), "--private-key-file", keyFile.toString(), "--home", home);
        String account = out.replaceAll("(?s).*Signed by (0x[0-9a-fA-F]{40}).*", "$1");
        assertTrue(account.startsWith("0x") && account.length() == 42, out);
        Files.writeString(dir.resolve("pw"), "pay me\n");
        ok("wallet", "import", "--private-key-file", keyFile.toString(), "--password-file",
                dir.resolve("pw").toString(), "--wallet-dir", dir.resolve(who + "-wallet").toString());
        return account;
    }

    private void claim(String who, String key, String account, List<String> at) {
        String out = ok(args(List.of("claim", "--yes", "--from", account, "--wallet-dir",
                dir.resolve(who + "-wallet").toString(), "--password-file", dir.resolve("pw").toString()), at));
        assertTrue(out.contains("Mined: 0x"), out);
    }

    private static void awaitIndex(NodeClient node, String adapter) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(until)) {
            for (InfluenceIndexInfo i : node.influenceIndexes().data()) {
                if (i.adapter().equals(adapter) && i.state().equals("ready")) {
                    return;
                }
                assertNotEquals("failed", i.adapter().equals(adapter) ? i.state() : "", String.valueOf(i.error()));
            }
            Thread.sleep(200);
        }
        fail("the index of " + adapter + " was not ready in time");
    }

    private static AttributionRecord awaitRecord(NodeClient node, String id) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(120);
        AttributionRecord r = node.attribution(id);
        while (r.state().equals("pending") && Instant.now().isBefore(until)) {
            Thread.sleep(50);
            r = node.attribution(id);
        }
        return r;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }


}
