package org.openledger.studio.wallet.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter content hash as documented (pinned to a value computed with foundry's cast), and the id parsing. */
class AdapterPublicationTest {

    @TempDir
    Path dir;

    private Path adapter() throws Exception {
        Files.writeString(dir.resolve("adapter_config.json"), "{\"base_model_name_or_path\": \"tiny-llama\", \"r\": 4}");
        Files.write(dir.resolve("adapter_model.safetensors"), "weights\0\1\2".getBytes(StandardCharsets.ISO_8859_1));
        return dir;
    }

    @Test
    void contentHashIsKeccakOfNamesAndSha256sAsCastComputesIt() throws Exception {
        Path a = adapter();
        // cast keccak 0x$(for f in adapter_config.json adapter_model.safetensors; do
        //   printf '%s\0' "$f" | xxd -p; sha256sum "$f" | cut -c1-64; done | tr -d '\n')
        String cast = "0x7eaae4908c98ef61e0d9fa67b17cae3592d91723789844f3f6925e9e638d3554";
        assertEquals(cast, AdapterPublication.hex(AdapterPublication.contentHash(a)));

        Files.writeString(a.resolve("README.md"), "not part of the identity");
        assertEquals(cast, AdapterPublication.hex(AdapterPublication.contentHash(a)), "other files do not count");

        Map<String, String> listing = Map.of("adapter_config.json", sha256(a.resolve("adapter_config.json")),
                "adapter_model.safetensors", sha256(a.resolve("adapter_model.safetensors")), "README.md",
                sha256(a.resolve("README.md")));
        assertArrayEquals(AdapterPublication.contentHash(a), AdapterPublication.contentHashFromListing(listing),
                "the node's SHA-256 list gives the same hash");

        Files.write(a.resolve("adapter_model.safetensors"), new byte[]{1});
        assertTrue(!cast.equals(AdapterPublication.hex(AdapterPublication.contentHash(a))), "the weights count");
        assertEquals(Optional.of("tiny-llama"), AdapterPublication.baseModel(a));
    }

    @Test
    void refusesAFolderWithoutThePeftFilesAndIdsThatAreNotOnChainIds() throws Exception {
        Files.writeString(dir.resolve("adapter_config.json"), "{}");
        PublicationRefusedException missing = assertThrows(PublicationRefusedException.class,
                () -> AdapterPublication.contentHash(dir));
        assertTrue(missing.getMessage().contains("has no adapter_model.safetensors"), missing.getMessage());
        assertEquals(Optional.empty(), AdapterPublication.baseModel(dir));

        assertEquals(List.of(BigInteger.ONE, BigInteger.valueOf(12)), AdapterPublication.datanetIds(List.of("1",
                " 12")));
        assertEquals(List.of(), AdapterPublication.datanetIds(null));
        for (String bad : List.of("abc", "0", "-1", "0x1", "1.5", "")) {
            PublicationRefusedException e = assertThrows(PublicationRefusedException.class,
                    () -> AdapterPublication.datanetIds(List.of(bad)));
            assertTrue(e.getMessage().contains("is not an on-chain Datanet id"), e.getMessage());
        }
        assertThrows(PublicationRefusedException.class, () -> AdapterPublication.datanetIds(List.of("3", "3")));
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
