package org.openledger.studio.app.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.StakingVault;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The on-chain step of a contribution against a real {@code studio daemon} and its devnet (real anvil, real
 * contracts): publish the Datanet, upload a contribution signed for its on-chain id, submit it with a stake
 * (approve, then contribute; both reviewed and mined), and read the contribution back from the registry. Bad input
 * is one stderr line with nothing sent: a wrong password, no password, a stake above the balance, a second submit.
 */
class DatanetSubmitCommandLineTest {

    private static final BigInteger OPEN = BigInteger.TEN.pow(18);

    @TempDir
    Path dir;

    @Test
    void publishUploadAndSubmitWithAStakeOnTheDevnet() throws Exception {
        Web3j web3j = null;
        try (StudioDaemon daemon = StudioDaemon.in(dir).startWithChain(90)) {
            Path tokenFile = daemon.tokenFile();
            NodeClient node = daemon.client();
            ChainInfo chain = node.chain();
            String url = daemon.url();
            web3j = Web3j.build(new HttpService(chain.rpcUrl()));

            // a fresh account, in the studio home's wallet, funded by the faucet
            Path password = Files.writeString(dir.resolve("password"), "contribute me\n");
            Path wrong = Files.writeString(dir.resolve("wrong"), "not it\n");
            String home = dir.resolve("home").toString();
            Path keyFile = dir.resolve("key");
            String me = FreshKey.importWithCli(keyFile, (byte) 0x12, password, "--home", home);
            node.faucet(me);
            OpenToken token = OpenToken.load(chain.contracts().get("OpenToken"), web3j,
                    new ReadonlyTransactionManager(web3j, me), new DefaultGasProvider());
            assertEquals(OPEN.multiply(BigInteger.valueOf(1000)), token.balanceOf(me).send());

            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                sb.append("{\"text\": \"Entry ").append(i).append(" records the flood of year ").append(1500 + i)
                        .append(" along the lower valley and the mills it carried away\"}\n");
            }
            Path data = Files.writeString(dir.resolve("floods.jsonl"), sb.toString(), StandardCharsets.UTF_8);
            ok("datanet", "create", "Floods", "--summary", "Floods of the lower valley", "--home", home);
            ok("datanet", "add", "--datanet", "Floods", data.toString(), "--home", home);

            List<String> on = List.of("--from", me, "--home", home, "--url", url, "--token-file",
                    tokenFile.toString());

            // publish: reviewed without --yes, nothing sent; then sent and the on-chain id kept
            String review = ok(args(List.of("datanet", "publish", "Floods"), on));
            for (String field : List.of("Metadata: {\"description\":\"\",\"licence\":\"CC-BY-4.0\",\"name\":\"Floods\"",
                    "Review: publish Datanet \"Floods\"", "Call:        DatanetRegistry.createDatanet(",
                    "Chain:       Local devnet (31337)", "(fee level normal)", "Not sent")) {
                assertTrue(review.contains(field), field + " in:\n" + review);
            }
            assertTrue(ok("datanet", "list", "--home", home).contains("not published"));
            String published = ok(args(List.of("datanet", "publish", "Floods", "--yes", "--password-file",
                    password.toString()), on));
            assertTrue(published.contains("Published \"Floods\" as Datanet 1 on chain 31337"), published);
            oneLineError(run(args(List.of("datanet", "publish", "Floods", "--yes", "--password-file",
                    password.toString()), on)), "already Datanet 1", false);
            assertTrue(ok("datanet", "list", "--home", home).contains("Datanet 1 on chain 31337"));

            // the upload is signed for the on-chain id
            String uploaded = ok("datanet", "upload", "--datanet", "Floods", "--home", home, "--node", url,
                    "--token-file", tokenFile.toString(), "--private-key-file", keyFile.toString());
            assertTrue(uploaded.contains("Signed for Datanet 1 on chain 31337"), uploaded);
            assertTrue(uploaded.contains("Uploaded contribution 1: 9 rows"), uploaded);
            JsonNode before = history(home).get(0);
            assertEquals("not_submitted", before.get("chain_status").asText());
            String root = before.get("merkle_root").asText();

            // bad input: wrong password, no password, a stake above the balance; nothing is sent
            oneLineError(run(args(List.of("datanet", "submit", "1", "--stake", "25", "--yes", "--password-file",
                    wrong.toString()), on)), "password", true);
            oneLineError(run(args(List.of("datanet", "submit", "1", "--yes"), on)), "--password-file", true);
            oneLineError(run(args(List.of("datanet", "submit", "1", "--stake", "5000", "--yes", "--password-file",
                    password.toString()), on)), "more than the 1000 OPEN", true);
            oneLineError(run(args(List.of("datanet", "submit", "7", "--yes", "--password-file",
                    password.toString()), on)), "no contribution with id 7", true);
            oneLineError(run(args(List.of("datanet", "submit", "1", "--fee", "ludicrous", "--yes", "--password-file",
                    password.toString()), on)), "--fee must be slow, normal or fast", true);
            BigInteger nonceBefore = web3j.ethGetTransactionCount(me,
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount();
            assertEquals("not_submitted", history(home).get(0).get("chain_status").asText());

            // without --yes: the approval reviewed, the contribute call announced
            String dry = ok(args(List.of("datanet", "submit", "1", "--stake", "25"), on));
            for (String field : List.of("Review: 1/2 approve the StakingVault to take 25 OPEN",
                    "Call:        OpenToken.approve(", "Not sent", "Then 2/2: contribute 9 rows (root " + root)) {
                assertTrue(dry.contains(field), field + " in:\n" + dry);
            }

            // approve, then contribute with the stake: both reviewed and mined, both at the --fee level chosen
            String submitted = ok(args(List.of("datanet", "submit", "1", "--stake", "25", "--fee", "fast", "--yes",
                    "--password-file", password.toString()), on));
            assertEquals(2, submitted.lines().filter(l -> l.startsWith("Mined: 0x")).count(), submitted);
            assertEquals(2, submitted.lines().filter(l -> l.contains("(fee level fast)")).count(), submitted);
            assertTrue(submitted.contains("Review: 2/2 contribute 9 rows (root " + root + ") to Datanet 1 with a "
                    + "stake of 25 OPEN"), submitted);
            assertTrue(submitted.contains("Call:        DatanetRegistry.contribute("), submitted);
            assertTrue(submitted.contains(": pending"), submitted);
            assertTrue(submitted.contains("Contribution 1 on chain: confirmed in block "), submitted);

            // on chain: the contribution with the uploaded manifest's root, its row count and stake
            DatanetRegistry registry = DatanetRegistry.load(chain.contracts().get("DatanetRegistry"), web3j,
                    new ReadonlyTransactionManager(web3j, me), new DefaultGasProvider());
            BigInteger id = registry.contributionByRoot(BigInteger.ONE, Numeric.hexStringToByteArray(root)).send();
            assertEquals(BigInteger.ONE, id);
            DatanetRegistry.Contribution c = registry.getContribution(id).send();
            assertEquals(BigInteger.ONE, c.datanetId);
            assertEquals(me.toLowerCase(), c.contributor.toLowerCase());
            assertEquals(root, Numeric.toHexString(c.manifestRoot));
            assertEquals(BigInteger.valueOf(9), c.rowCount);
            assertEquals(OPEN.multiply(BigInteger.valueOf(25)), c.stake);
            assertEquals(OPEN.multiply(BigInteger.valueOf(975)), token.balanceOf(me).send(), "the stake left");
            StakingVault vault = StakingVault.load(chain.contracts().get("StakingVault"), web3j,
                    new ReadonlyTransactionManager(web3j, me), new DefaultGasProvider());
            assertEquals(OPEN.multiply(BigInteger.valueOf(25)), vault.stakeOf(me, BigInteger.valueOf(3),
                    Numeric.toBytesPadded(BigInteger.ONE, 32)).send().component1(), "staked behind the contribution");
            assertEquals(nonceBefore.add(BigInteger.TWO), web3j.ethGetTransactionCount(me,
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount());

            JsonNode after = history(home).get(0);
            assertEquals("confirmed", after.get("chain_status").asText());
            assertEquals("1", after.get("contribution_id").asText());
            assertTrue(after.get("block").asLong() > 0);
            assertTrue(ok("datanet", "history", "--datanet", "Floods", "--home", home)
                    .contains("on chain: confirmed in block " + after.get("block").asLong()));
            assertTrue(ok("datanet", "list", "--home", home).contains("1 contributions, 1 on chain"));

            // a second submit is refused before anything is signed
            oneLineError(run(args(List.of("datanet", "submit", "1", "--yes", "--password-file",
                    password.toString()), on)), "already submitted: confirmed in block", true);
            assertEquals(BigInteger.ONE, registry.contributionCount().send());
            assertEquals(nonceBefore.add(BigInteger.TWO), web3j.ethGetTransactionCount(me,
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount());
        } finally {
            if (web3j != null) {
                web3j.shutdown();
            }
        }
    }

    private JsonNode history(String home) throws Exception {
        return Wire.mapper().readTree(ok("datanet", "history", "--datanet", "Floods", "--home", home, "--json"))
                .get("contributions");
    }

    private static void oneLineError(Run r, String mentions, boolean quiet) {
        InJvmCli.assertOneLineError(r, mentions);
        if (quiet) {
            assertFalse(r.out().contains("Review:"), "nothing reviewed: " + r.out());
        }
    }



}
