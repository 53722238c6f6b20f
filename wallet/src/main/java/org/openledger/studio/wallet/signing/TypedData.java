package org.openledger.studio.wallet.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * EIP-712 typed data (the JSON of {@code eth_signTypedData_v4}): validated on construction, hashed to the digest that
 * gets signed, and described line by line for the review dialog so the user sees what a signature authorises.
 */
public final class TypedData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;
    private final StructuredDataEncoder encoder;

    private TypedData(String json, StructuredDataEncoder encoder) {
        this.json = json;
        this.encoder = encoder;
    }

    /**
     * @throws InvalidTypedDataException when the JSON is not valid EIP-712 (the message says what is wrong)
     */
    public static TypedData parse(String json) {
        try {
            StructuredDataEncoder encoder = new StructuredDataEncoder(json);
            encoder.hashStructuredData();
            return new TypedData(json, encoder);
        } catch (IOException | RuntimeException e) {
            throw new InvalidTypedDataException("This is not valid EIP-712 typed data: " + e.getMessage(), e);
        }
    }

    /** keccak256(0x19 0x01 || domainSeparator || hashStruct(message)): the 32 bytes that are signed. */
    public byte[] digest() {
        return encoder.hashStructuredData();
    }

    public String primaryType() {
        return encoder.jsonMessageObject.getPrimaryType();
    }

    /** The JSON as given. */
    public String json() {
        return json;
    }

    /**
     * What the signature covers, in reading order: the domain (name, version, chain, contract), the primary type,
     * then each message field as {@code path: value}, nested structs flattened with dots.
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode domain = root.path("domain");
            domain.fields().forEachRemaining(f -> lines.add("domain." + f.getKey() + ": " + f.getValue().asText()));
            lines.add("type: " + primaryType());
            flatten("", root.path("message"), lines);
            lines.add("digest: 0x" + HexFormat.of().formatHex(digest()));
        } catch (IOException e) {
            throw new InvalidTypedDataException("The typed data cannot be read again: " + e.getMessage(), e);
        }
        return lines;
    }

    private static void flatten(String prefix, JsonNode node, List<String> lines) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                    f.getValue(), lines));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), lines);
            }
        } else {
            lines.add(prefix + ": " + node.asText());
        }
    }
}
