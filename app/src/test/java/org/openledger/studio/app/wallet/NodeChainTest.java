package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.app.Cast;
import org.openledger.studio.app.StudioDaemon;

/**
 * {@code studio daemon} and its chain, as real processes: the local devnet by default (anvil, contracts deployed once,
 * faucet, state kept across restarts, anvil stopped with the node), or another RPC with its chain id checked.
 */
class NodeChainTest {

    private static final String ALICE = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    @TempDir
    Path dir;

    @Test
    void theNodeRunsItsOwnDevnetWithContractsAndAFaucetAndStopsItWithItself() throws Exception {
        Path data = dir.resolve("node");
        String rpc;
        String token;
        try (StudioDaemon node = start(dir, "a", data)) {
            assertTrue(List.of(ChainInfo.STARTING, ChainInfo.READY).contains(node.client().chain().status()),
                    "the node answers at once, before the devnet is up");
            ChainInfo chain = node.awaitChain(60);
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

            FaucetResult paid = node.client().faucet(ALICE);
            assertEquals(1000, paid.open());
            assertEquals("1000000000000000000000", Cast.run("call", token, "balanceOf(address)(uint256)", ALICE,
                    "--rpc-url", rpc).split(" ")[0], "cast reads the faucet's OPEN on the chain");
            assertEquals(paid.openBalanceWei(), "1000000000000000000000");

            NodeClientException bad = assertThrows(NodeClientException.class,
                    () -> node.client().faucet("0x90f79bf6eb2c4f870365e785982e1f101e93B906"));
            assertEquals(400, bad.status(), bad.getMessage());

            // another node on the same chain through --rpc-url: no faucet there
            try (StudioDaemon remote = start(dir, "b", dir.resolve("b"), "--rpc-url", rpc,
                    "--chain-id", "31337")) {
                ChainInfo other = remote.awaitChain(60);
                assertEquals(ChainInfo.READY, other.status(), String.valueOf(other.error()));
                assertEquals("Custom RPC", other.network());
                assertFalse(other.faucet());
                NodeClientException refused = assertThrows(NodeClientException.class,
                        () -> remote.client().faucet(ALICE));
                assertEquals(409, refused.status(), refused.getMessage());
            }
            try (StudioDaemon wrong = start(dir, "c", dir.resolve("c"), "--rpc-url", rpc,
                    "--chain-id", "1612")) {
                ChainInfo mismatch = wrong.awaitChain(60);
                assertEquals(ChainInfo.FAILED, mismatch.status());
                assertEquals("OpenLedger mainnet", mismatch.network());
                assertTrue(mismatch.error().contains("31337"), mismatch.error());
            }
        }
        assertFalse(answers(rpc), "stopping the node stopped anvil");

        try (StudioDaemon again = start(dir, "a2", data)) {
            ChainInfo chain = again.awaitChain(60);
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


    /** A {@code studio daemon} child process; closing it must stop it on SIGTERM. */
    private static StudioDaemon start(Path dir, String name, Path data, String... args) throws Exception {
        return StudioDaemon.in(dir, name).data(data).args(args).mustStopOnSigterm().start(60);
    }
}
