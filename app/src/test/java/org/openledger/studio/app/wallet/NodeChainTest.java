package org.openledger.studio.app.wallet;

import org.openledger.studio.app.Cast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.app.Launcher;

/**
 * {@code studio daemon} and its chain, as real processes: the local devnet by default (anvil, contracts deployed once,
 * faucet, state kept across restarts, anvil stopped with the node), or another RPC with its chain id checked.
 */
class NodeChainTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String ALICE = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    @TempDir
    Path dir;

    @Test
    void theNodeRunsItsOwnDevnetWithContractsAndAFaucetAndStopsItWithItself() throws Exception {
        Path data = dir.resolve("node");
        String rpc;
        String token;
        try (Daemon node = Daemon.start(dir, "a", "--data-dir", data.toString())) {
            assertTrue(List.of(ChainInfo.STARTING, ChainInfo.READY).contains(node.client.chain().status()),
                    "the node answers at once, before the devnet is up");
            ChainInfo chain = node.awaitChain();
            assertEquals(ChainInfo.READY, chain.status(), String.valueOf(chain.error()));
            assertEquals("Local devnet", chain.network());
            assertEquals(31337, chain.chainId());
            assertTrue(chain.rpcUrl().startsWith("http://127.0.0.1:"), chain.rpcUrl());
            assertTrue(chain.faucet());
            assertEquals(List.of("DatanetRegistry", "ModelRegistry", "OpenToken", "RewardDistributor", "StakingVault"),
                    chain.contracts().keySet().stream().sorted().toList());
            rpc = chain.rpcUrl();
            token = chain.contracts().get("OpenToken");
            assertTrue(Files.readString(data.resolve("chain/deployment.json")).contains(token));

            FaucetResult paid = node.client.faucet(ALICE);
            assertEquals(1000, paid.open());
            assertEquals("1000000000000000000000", Cast.run("call", token, "balanceOf(address)(uint256)", ALICE,
                    "--rpc-url", rpc).split(" ")[0], "cast reads the faucet's OPEN on the chain");
            assertEquals(paid.openBalanceWei(), "1000000000000000000000");

            NodeClientException bad = assertThrows(NodeClientException.class,
                    () -> node.client.faucet("0x90f79bf6eb2c4f870365e785982e1f101e93B906"));
            assertEquals(400, bad.status(), bad.getMessage());

            // another node on the same chain through --rpc-url: no faucet there
            try (Daemon remote = Daemon.start(dir, "b", "--data-dir", dir.resolve("b").toString(), "--rpc-url", rpc,
                    "--chain-id", "31337")) {
                ChainInfo other = remote.awaitChain();
                assertEquals(ChainInfo.READY, other.status(), String.valueOf(other.error()));
                assertEquals("Custom RPC", other.network());
                assertFalse(other.faucet());
                NodeClientException refused = assertThrows(NodeClientException.class, () -> remote.client.faucet(ALICE));
                assertEquals(409, refused.status(), refused.getMessage());
            }
            try (Daemon wrong = Daemon.start(dir, "c", "--data-dir", dir.resolve("c").toString(), "--rpc-url", rpc,
                    "--chain-id", "1612")) {
                ChainInfo mismatch = wrong.awaitChain();
                assertEquals(ChainInfo.FAILED, mismatch.status());
                assertEquals("OpenLedger mainnet", mismatch.network());
                assertTrue(mismatch.error().contains("31337"), mismatch.error());
            }
        }
        assertFalse(answers(rpc), "stopping the node stopped anvil");

        try (Daemon again = Daemon.start(dir, "a2", "--data-dir", data.toString())) {
            ChainInfo chain = again.awaitChain();
            assertEquals(ChainInfo.READY, chain.status(), String.valueOf(chain.error()));
            assertEquals(token, chain.contracts().get("OpenToken"), "deployed once: the same contracts after a restart");
            assertEquals("1000000000000000000000", Cast.run("call", token, "balanceOf(address)(uint256)", ALICE,
                    "--rpc-url", chain.rpcUrl()).split(" ")[0], "the chain's state survived the restart");
        }
    }

    private static boolean answers(String rpc) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rpc))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }


    /** A {@code studio daemon} child process and a client for it; closing sends SIGTERM and waits. */
    private static final class Daemon implements AutoCloseable {
        final Process process;
        final NodeClient client;
        final Path log;

        private Daemon(Process process, NodeClient client, Path log) {
            this.process = process;
            this.client = client;
            this.log = log;
        }

        static Daemon start(Path dir, String name, String... args) throws Exception {
            Path ready = dir.resolve(name + ".ready.json");
            Path log = dir.resolve(name + ".log");
            Path tokenFile = Files.writeString(dir.resolve(name + ".token"), TOKEN);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dstudio.log.level=WARN", "-cp", System.getProperty("java.class.path"),
                    Launcher.class.getName(), "daemon", "--port", "0", "--token-file", tokenFile.toString(),
                    "--ready-file", ready.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(ready)) {
                p.destroyForcibly();
                throw new AssertionError("the node did not start: " + Files.readString(log));
            }
            JsonNode j = Wire.mapper().readTree(ready.toFile());
            return new Daemon(p, new NodeClient(NodeClient.defaultHttp(), URI.create(j.path("url").asText()), TOKEN),
                    log);
        }

        /** Polls GET /v1/chain until it is no longer starting (60 s at most). */
        ChainInfo awaitChain() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            ChainInfo info = client.chain();
            while (ChainInfo.STARTING.equals(info.status()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                info = client.chain();
            }
            return info;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the node did not stop on SIGTERM: " + Files.readString(log));
            }
        }
    }
}
