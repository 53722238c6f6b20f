package org.openledger.studio.datanet.onchain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.openledger.studio.datanet.workspace.Datanet;
import org.web3j.crypto.Hash;

/**
 * The metadata a Datanet is published with. On chain only its keccak256 is kept, so the JSON must be canonical —
 * keys in a fixed (alphabetical) order, tags sorted, no spaces — for anyone holding the metadata to recompute the
 * hash. The local id, owner name and creation time are left out: they say nothing about the data.
 */
public final class DatanetMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DatanetMetadata() {
    }

    /** {@code {"description","licence","name","summary","tags","type"}}, compact, UTF-8. */
    public static String canonicalJson(Datanet d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("description", d.description());
        o.put("licence", d.licence());
        o.put("name", d.name());
        o.put("summary", d.summary());
        List<String> tags = new ArrayList<>(d.tags());
        tags.sort(null);
        var array = o.putArray("tags");
        tags.forEach(array::add);
        o.put("type", d.type());
        return o.toString();
    }

    /** keccak256 of the canonical JSON, as 32 bytes. */
    public static byte[] hash(Datanet d) {
        return Hash.sha3(canonicalJson(d).getBytes(StandardCharsets.UTF_8));
    }

    public static String hashHex(Datanet d) {
        return "0x" + HexFormat.of().formatHex(hash(d));
    }
}
