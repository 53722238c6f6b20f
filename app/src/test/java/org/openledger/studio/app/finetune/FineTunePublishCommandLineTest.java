package org.openledger.studio.app.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * {@code studio finetune publish} against a real {@code studio daemon} (a tiny real model, its real anvil devnet and
 * contracts): a Datanet is published and uploaded, a job trains on it, the job's adapter is published to the
 * ModelRegistry, and {@code getAdapter} gives back the content hash recomputed by hand from a {@code finetune pull}
 * of the same job, the job's base model, the Datanet and the owner. A second publication (by job or by the pulled
 * folder) is refused before anything is signed; so is bad input, each as one stderr line with nothing sent.
 */
class FineTunePublishCommandLineTest {

    private static final Pattern JOB = Pattern.compile("(ftjob-[A-Za-z0-9_-]+)");

    @TempDir
    Path dir;

    @Test
    void publishAJobsAdapterOnceOnTheDevnet() throws Exception {
        Web3j web3j = null;
        try (StudioDaemon daemon = StudioDaemon.in(dir).tinyChatModel().startWithChain(120)) {
            Path tokenFile = daemon.tokenFile();
            NodeClient node = daemon.client();
            ChainInfo chain = node.chain();
            String url = daemon.url();
            web3j = Web3j.build(new HttpService(chain.rpcUrl()));

            Path password = Files.writeString(dir.resolve("password"), "publish me\n");
            Path wrong = Files.writeString(dir.resolve("wrong"), "not it\n");
            String home = dir.resolve("home").toString();
            Path keyFile = dir.resolve("key");
            String me = FreshKey.importWithCli(keyFile, (byte) 0x21, password, "--home", home);
            node.faucet(me);
            List<String> on = List.of("--from", me, "--home", home, "--url", url, "--token-file",
                    tokenFile.toString());
            List<String> nodeArgs = List.of("--url", url, "--token-file", tokenFile.toString());

            // a Datanet on chain (id 1) whose rows the node holds, signed for its on-chain id
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                sb.append("{\"text\": \"Keeper log ").append(i).append(": the lamp burned through the storm of ")
                        .append(1800 + i).append(" and the ships passed the reef\"}\n");
            }
            Path data = Files.writeString(dir.resolve("keeper.jsonl"), sb.toString(), StandardCharsets.UTF_8);
            ok("datanet", "create", "Keeper", "--summary", "A lighthouse keeper's log", "--home", home);
            ok("datanet", "add", "--datanet", "Keeper", data.toString(), "--home", home);
            assertTrue(ok(args(List.of("datanet", "publish", "Keeper", "--yes", "--password-file",
                    password.toString()), on)).contains("as Datanet 1 on chain 31337"));
            assertTrue(ok("datanet", "upload", "--datanet", "Keeper", "--home", home, "--node", url, "--token-file",
                    tokenFile.toString(), "--private-key-file", keyFile.toString()).contains("Signed for Datanet 1"));

            // a tiny job on Datanet 1
            String started = ok(args(List.of("finetune", "start", "--datanet", "1", "--epochs", "1", "--rank", "4",
                    "--batch-size", "2", "--seed", "3", "--suffix", "pub", "--wait"), nodeArgs));
            String jobId = job(started);
            FineTuneJob job = node.fineTuneJob(jobId);
            assertEquals("succeeded", job.status(), started);
            assertEquals(List.of("1"), job.datanets());

            // the content hash, recomputed by hand from a pull of the same job
            Path pulled = dir.resolve("pulled");
            ok(args(List.of("finetune", "pull", jobId, "--out", pulled.toString()), nodeArgs));
            byte[] expected = contentHash(pulled);

            BigInteger nonce0 = nonce(web3j, me);
            // bad input: one stderr line each, nothing reviewed or sent
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--datanet-id", "abc", "--yes",
                    "--password-file", password.toString()), on)), "'abc' is not an on-chain Datanet id");
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--yes", "--password-file",
                    wrong.toString()), on)), "password");
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--yes"), on)), "--password-file");
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--datanet-id", "99", "--yes",
                    "--password-file", password.toString()), on)), "Datanet 99 is not in the DatanetRegistry");
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--yes", "--password-file",
                    password.toString(), "--from", "0x000000000000000000000000000000000000dEaD", "--home", home,
                    "--url", url, "--token-file", tokenFile.toString()), List.of())), "is not in the wallet");
            oneLineError(run(args(List.of("finetune", "publish", "ftjob-nope", "--yes", "--password-file",
                    password.toString()), on)), "404");
            String unfinished = job(ok(args(List.of("finetune", "start", "--datanet", "1", "--epochs", "50",
                    "--rank", "4", "--batch-size", "2"), nodeArgs)));
            ok(args(List.of("finetune", "cancel", unfinished), nodeArgs));
            oneLineError(run(args(List.of("finetune", "publish", unfinished, "--yes", "--password-file",
                    password.toString()), on)), "only a job that succeeded has an adapter to publish");
            assertEquals(nonce0, nonce(web3j, me), "nothing was sent");

            // without --yes: the whole review, nothing sent
            String hex = "0x" + HexFormat.of().formatHex(expected);
            String review = ok(args(List.of("finetune", "publish", jobId), on));
            for (String field : List.of("Content hash: " + hex, "Base model:   " + job.model(), "Datanets:     [1]",
                    "Review: publish adapter " + hex + " (base model \"" + job.model() + "\", Datanets 1)",
                    "(ModelRegistry)", "Call:        ModelRegistry.publishAdapter(", "Chain:       Local devnet "
                            + "(31337)", "(fee level normal)", "Not sent")) {
                assertTrue(review.contains(field), field + " in:\n" + review);
            }
            assertEquals(nonce0, nonce(web3j, me));

            // sent: the adapter id printed, and the registry holds what was published
            String published = ok(args(List.of("finetune", "publish", jobId, "--fee", "fast", "--yes",
                    "--password-file", password.toString()), on));
            assertTrue(published.contains("Mined: 0x"), published);
            assertTrue(published.contains("Published adapter 1 in the ModelRegistry on chain 31337: content hash "
                    + hex), published);
            ModelRegistry registry = ModelRegistry.load(chain.contracts().get("ModelRegistry"), web3j,
                    new ReadonlyTransactionManager(web3j, me), new DefaultGasProvider());
            assertEquals(BigInteger.ONE, registry.adapterByHash(expected).send());
            ModelRegistry.Adapter adapter = registry.getAdapter(BigInteger.ONE).send();
            assertArrayEquals(expected, adapter.contentHash, "the hash recomputed from `finetune pull`");
            assertEquals(job.model(), adapter.baseModel);
            assertEquals(me.toLowerCase(), adapter.owner.toLowerCase());
            assertEquals(List.of(BigInteger.ONE), adapter.datanetIds);
            assertEquals(nonce0.add(BigInteger.ONE), nonce(web3j, me));

            // publishing it again, by job or from the pulled folder, is refused before anything is signed
            oneLineError(run(args(List.of("finetune", "publish", jobId, "--yes", "--password-file",
                    password.toString()), on)), "is already adapter 1 in the ModelRegistry");
            oneLineError(run(args(List.of("finetune", "publish", "--adapter-dir", pulled.toString(), "--base-model",
                    "other", "--yes", "--password-file", password.toString()), on)), "is already adapter 1");
            assertEquals(BigInteger.ONE, registry.adapterCount().send());
            assertEquals(nonce0.add(BigInteger.ONE), nonce(web3j, me));
        } finally {
            if (web3j != null) {
                web3j.shutdown();
            }
        }
    }

    /** The documented definition, by hand: keccak256 of (name, 0x00, sha256) for the two PEFT files, by name. */
    private static byte[] contentHash(Path folder) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String name : List.of("adapter_config.json", "adapter_model.safetensors")) {
            b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            b.write(0);
            b.writeBytes(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(folder.resolve(name))));
        }
        return Hash.sha3(b.toByteArray());
    }

    private static String job(String out) {
        Matcher m = JOB.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static BigInteger nonce(Web3j web3j, String address) throws Exception {
        return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
    }

    private static void oneLineError(Run r, String mentions) {
        InJvmCli.assertOneLineError(r, mentions);
        assertFalse(r.out().contains("Mined:"), "nothing sent: " + r.out());
    }



}
