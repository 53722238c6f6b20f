package org.openledger.studio.app.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.app.StudioDaemon;
import org.openledger.studio.app.StudioProcess;
import org.openledger.studio.datanet.node.HttpRegistryClient;

/**
 * {@code studio datanet upload} against a real {@code studio daemon}: signed with a key file, paused half-way, the
 * node restarted, resumed, and every row on the node once.
 */
class DatanetUploadCommandLineTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    // anvil's first account: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    @TempDir
    Path dir;

    private StudioProcess.Result studio(String verb, String... args) throws Exception {
        return StudioProcess.datanet(dir, verb, args);
    }

    private StudioDaemon.Launch daemon() {
        return StudioDaemon.in(dir).token(dir.resolve("token"), TOKEN);
    }

    @Test
    void uploadPausesSurvivesANodeRestartAndResumes() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path key = Files.writeString(dir.resolve("key.hex"), KEY + "\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            sb.append("{\"text\": \"Entry ").append(i).append(" records the flood of year ").append(1500 + i)
                    .append(" along the lower valley and the mills it carried away\"}\n");
        }
        sb.append("{\"text\": \"Mail the survey to dana@example.org before the flood season\"}\n");
        Path data = Files.writeString(dir.resolve("floods.jsonl"), sb.toString(), StandardCharsets.UTF_8);
        assertEquals(0, studio("create", "Floods").code());
        assertEquals(0, studio("add", "--datanet", "Floods", data.toString()).code());

        StudioDaemon node = daemon().start(60);
        try {
            String url = node.url();
            // a row with an e-mail address blocks the upload until it is rejected
            StudioProcess.Result blocked = studio("upload", "--datanet", "Floods", "--node", url, "--token-file",
                    dir.resolve("token").toString(), "--private-key-file", key.toString());
            assertEquals(1, blocked.code(), blocked.out());
            assertEquals(1, blocked.errLines().size(), blocked.err());
            JsonNode rows = Wire.mapper().readTree(studio("rows", "--datanet", "Floods", "--blocking", "--json").out());
            assertEquals(0, studio("rows", "--datanet", "Floods", "--reject",
                    rows.get("rows").get(0).get("id").asText()).code());

            StudioProcess.Result paused = studio("upload", "--datanet", "Floods", "--node", url, "--token-file",
                    dir.resolve("token").toString(), "--private-key-file", key.toString(), "--chunk-rows", "2",
                    "--stop-after-chunks", "2");
            assertEquals(0, paused.code(), paused.err());
            assertTrue(paused.out().contains("9 rows in 5 chunks"), paused.out());
            assertTrue(paused.out().contains("Signed by 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), paused.out());
            assertTrue(paused.out().contains("Paused contribution 1 after 2 of 5 chunks"), paused.out());

            node.process().destroy();
            assertTrue(node.process().waitFor(20, TimeUnit.SECONDS));
            node = daemon().start(60);
            url = node.url();

            StudioProcess.Result resumed = studio("upload", "--datanet", "Floods", "--node", url, "--token-file",
                    dir.resolve("token").toString(), "--private-key-file", key.toString());
            assertEquals(0, resumed.code(), resumed.err());
            assertTrue(resumed.out().contains("Resuming contribution 1 (2 of 5 chunks sent)"), resumed.out());
            assertTrue(resumed.out().contains("Uploaded contribution 1: 9 rows"), resumed.out());

            HttpRegistryClient registry = new HttpRegistryClient(new NodeClient(NodeClient.defaultHttp(),
                    URI.create(url), TOKEN));
            List<UploadStatus> held = registry.contributions(java.math.BigInteger.ONE);
            assertEquals(1, held.size());
            assertEquals(9, held.get(0).rows());
            assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", held.get(0).contributor().toLowerCase());

            StudioProcess.Result nothing = studio("upload", "--datanet", "Floods", "--node", url, "--token-file",
                    dir.resolve("token").toString(), "--private-key-file", key.toString());
            assertEquals(1, nothing.code());
            assertTrue(nothing.errLines().get(0).contains("Nothing to contribute"), nothing.err());
        } finally {
            node.close();
        }
    }
}
