package org.openledger.studio.datanet.onchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.contribution.UploadException;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The workspace's on-chain records: the canonical metadata and its hash, the Datanet id per chain and registry, and
 * a contribution's status, which refuses a second submission while one is pending or confirmed.
 */
class OnChainRecordsTest {

    private static final ChainRef DEVNET = new ChainRef(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    @TempDir
    Path dir;

    @Test
    void canonicalMetadataIdsPerChainAndOneSubmissionAtATime() throws Exception {
        try (Workspace ws = Workspace.open(dir.resolve("workspace.db"))) {
            Datanet d = ws.datanets().create(new NewDatanet("Tides", "Tides of the bay", "Long text", List.of("sea",
                    "moon"), "CC-BY-4.0", "me"));
            String json = DatanetMetadata.canonicalJson(d);
            assertEquals("{\"description\":\"Long text\",\"licence\":\"CC-BY-4.0\",\"name\":\"Tides\",\"summary\":"
                    + "\"Tides of the bay\",\"tags\":[\"moon\",\"sea\"],\"type\":\"" + d.type() + "\"}", json);
            assertEquals(Numeric.toHexString(Hash.sha3(json.getBytes(StandardCharsets.UTF_8))),
                    DatanetMetadata.hashHex(d));

            OnChainRecords records = new OnChainRecords(ws, Clock.systemUTC());
            assertTrue(records.datanet(d.id(), DEVNET).isEmpty());
            records.recordDatanet(new OnChainDatanet(d.id(), DEVNET, BigInteger.valueOf(4), DatanetMetadata.hashHex(d),
                    "0x" + "ab".repeat(32), 9));
            assertEquals(BigInteger.valueOf(4), records.datanet(d.id(), DEVNET).orElseThrow().onChainId());
            ChainRef testnet = new ChainRef(161201, DEVNET.registry());
            assertTrue(records.datanet(d.id(), testnet).isEmpty(), "ids are per chain");
            assertThrows(UploadException.class, () -> records.recordDatanet(new OnChainDatanet(d.id(), DEVNET,
                    BigInteger.valueOf(5), "0x00", "0x01", 10)));

            // an upload row to hang the status on (the contribution package's own table)
            long upload = ws.database().transaction(c -> {
                try (var st = c.prepareStatement("INSERT INTO upload (datanet_id, contributor, manifest, merkle_root, "
                        + "state, created_at) VALUES (?, ?, '{}', '0x01', 'complete', 0) RETURNING id")) {
                    st.setLong(1, d.id());
                    st.setString(2, "0x" + "11".repeat(20));
                    try (var rs = st.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertEquals("not submitted", records.status(upload).describe());
            records.markPending(upload, DEVNET, BigInteger.valueOf(4), BigInteger.TEN, "0xaa");
            assertEquals("pending 0xaa", records.status(upload).describe());
            UploadException twice = assertThrows(UploadException.class, () -> records.markPending(upload, DEVNET,
                    BigInteger.valueOf(4), BigInteger.TEN, "0xbb"));
            assertTrue(twice.getMessage().contains("already submitted: pending 0xaa"), twice.getMessage());
            records.markReverted(upload, 12, "DuplicateManifest(4, 1)");
            assertEquals("reverted: DuplicateManifest(4, 1)", records.status(upload).describe());
            records.markPending(upload, DEVNET, BigInteger.valueOf(4), BigInteger.TEN, "0xcc");
            records.markConfirmed(upload, 13, BigInteger.TWO);
            assertEquals("confirmed in block 13 (contribution 2)", records.status(upload).describe());
            records.markChallenged(upload);
            assertEquals(OnChainStatus.Stage.CHALLENGED, records.statuses(d.id()).get(upload).stage());
            assertTrue(records.status(upload).submitted());
        }
        // the migration is recorded: opening again applies nothing twice
        try (Workspace ws = Workspace.open(dir.resolve("workspace.db"))) {
            assertEquals(2, ws.database().userVersion());
        }
        assertTrue(Files.exists(dir.resolve("workspace.db")));
    }
}
