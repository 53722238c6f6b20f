package org.openledger.studio.datanet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.registry.NearDuplicateAnswer;
import org.openledger.studio.api.registry.NearDuplicateRequest;
import org.openledger.studio.api.registry.OpenUpload;
import org.openledger.studio.datanet.check.NodeDuplicateIndex.NodeMatch;
import org.openledger.studio.datanet.check.NodeDuplicateIndex.SignatureQuery;
import org.openledger.studio.datanet.contribution.ContributionManifest;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.SignedManifest;

/** The wire records give byte for byte the JSON the engine's records gave on the wire before decision 18. */
class RegistryWireTest {

    private static final String ROW = "0x" + "ab".repeat(32);

    private static SignedManifest signed() {
        ContributionManifest m = new ContributionManifest(BigInteger.valueOf(7),
                "0x" + "12".repeat(20), "CC-BY-4.0", BigInteger.valueOf(1_700_000_000_000L), 1, ROW, List.of(ROW));
        return new SignedManifest(m, "0x" + "cd".repeat(65));
    }

    @Test
    void openUploadIsTheJsonTheEngineRecordsGave() throws Exception {
        SignedManifest signed = signed();
        List<PlannedChunk> chunks = List.of(new PlannedChunk(0, 0, 1, ROW, 42));
        // the old body: record OpenUpload(SignedManifest signedManifest, List<PlannedChunk> chunks)
        ObjectNode old = JsonNodeFactory.instance.objectNode();
        old.set("signed_manifest", Wire.mapper().valueToTree(signed));
        old.set("chunks", Wire.mapper().valueToTree(chunks));
        OpenUpload wire = RegistryWire.openUpload(signed, chunks);
        assertEquals(Wire.mapper().writeValueAsString(old), Wire.mapper().writeValueAsString(wire));

        OpenUpload back = Wire.mapper().readValue(Wire.mapper().writeValueAsString(old), OpenUpload.class);
        assertEquals(signed, RegistryWire.signedManifest(back));
        assertEquals(chunks, RegistryWire.chunks(back));
    }

    @Test
    void nearDuplicateBodiesAreTheJsonTheEngineRecordsGave() throws Exception {
        List<SignatureQuery> queries = List.of(new SignatureQuery(3, ROW, new int[]{5, -1, 9}));
        ObjectNode old = JsonNodeFactory.instance.objectNode();
        old.put("threshold", 0.7);
        old.set("queries", Wire.mapper().valueToTree(queries));
        assertEquals(Wire.mapper().writeValueAsString(old),
                Wire.mapper().writeValueAsString(RegistryWire.nearDuplicateRequest(queries, 0.7)));

        List<NodeMatch> matches = List.of(new NodeMatch(3, ROW, 0.875, false));
        ObjectNode oldAnswer = JsonNodeFactory.instance.objectNode();
        oldAnswer.set("matches", Wire.mapper().valueToTree(matches));
        NearDuplicateAnswer answer = RegistryWire.answer(matches);
        assertEquals(Wire.mapper().writeValueAsString(oldAnswer), Wire.mapper().writeValueAsString(answer));
        JsonNode names = Wire.mapper().valueToTree(answer).path("matches").get(0);
        assertTrue(names.has("node_row_hash") && names.has("estimated_similarity"), names.toString());
        assertEquals(matches, RegistryWire.matches(answer));
    }

    @Test
    void anIncompleteManifestIsRefusedByName() {
        OpenUpload noSignature = new OpenUpload(new OpenUpload.Signed(RegistryWire.openUpload(signed(),
                List.of()).signedManifest().manifest(), null), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryWire.signedManifest(noSignature));
        assertEquals("signed_manifest.signature is required", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RegistryWire.queries(new NearDuplicateRequest(0.7, java.util.Arrays.asList(
                        (NearDuplicateRequest.Query) null))));
    }
}
