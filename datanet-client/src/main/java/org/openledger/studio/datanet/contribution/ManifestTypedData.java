package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 form of a manifest: the struct
 * {@code Contribution(uint256 datanetId,address contributor,bytes32 merkleRoot,uint256 rowCount,string licence,uint256 nonce)}
 * in the domain {@code ("OpenLedger Datanets", "1", chainId, registry)}. The digest is computed here, by the
 * rules of the EIP, so the node and the contract can recompute it without the wallet; the JSON is what
 * {@code eth_signTypedData_v4} takes, for wallets that show the user what they sign.
 */
public final class ManifestTypedData {

    static final String CONTRIBUTION_TYPE = "Contribution(uint256 datanetId,address contributor,bytes32 merkleRoot,"
            + "uint256 rowCount,string licence,uint256 nonce)";
    static final String DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    private final ContributionManifest manifest;
    private final ManifestDomain domain;

    public ManifestTypedData(ContributionManifest manifest, ManifestDomain domain) {
        this.manifest = manifest;
        this.domain = domain;
    }

    /** keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)): the 32 bytes that are signed. */
    public byte[] digest() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(66);
        b.write(0x19);
        b.write(0x01);
        b.writeBytes(domainSeparator());
        b.writeBytes(hashStruct());
        return Hash.sha3(b.toByteArray());
    }

    byte[] domainSeparator() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(160);
        b.writeBytes(Hash.sha3(DOMAIN_TYPE.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(Hash.sha3(ManifestDomain.NAME.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(Hash.sha3(ManifestDomain.VERSION.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(word(BigInteger.valueOf(domain.chainId())));
        b.writeBytes(word(new BigInteger(domain.verifyingContract().substring(2), 16)));
        return Hash.sha3(b.toByteArray());
    }

    byte[] hashStruct() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(224);
        b.writeBytes(Hash.sha3(CONTRIBUTION_TYPE.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(word(manifest.datanetId()));
        b.writeBytes(word(new BigInteger(manifest.contributor().substring(2), 16)));
        b.writeBytes(Hex.bytes(manifest.merkleRoot()));
        b.writeBytes(word(BigInteger.valueOf(manifest.rowCount())));
        b.writeBytes(Hash.sha3(manifest.licence().getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(word(manifest.nonce()));
        return Hash.sha3(b.toByteArray());
    }

    /** A non-negative integer as a 32-byte big-endian word. */
    private static byte[] word(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + v);
        }
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    /** The typed data as {@code eth_signTypedData_v4} JSON. */
    public String json() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode types = root.putObject("types");
        addType(types.putArray("EIP712Domain"), "name", "string", "version", "string", "chainId", "uint256",
                "verifyingContract", "address");
        addType(types.putArray("Contribution"), "datanetId", "uint256", "contributor", "address", "merkleRoot",
                "bytes32", "rowCount", "uint256", "licence", "string", "nonce", "uint256");
        root.put("primaryType", "Contribution");
        ObjectNode d = root.putObject("domain");
        d.put("name", ManifestDomain.NAME);
        d.put("version", ManifestDomain.VERSION);
        d.put("chainId", domain.chainId());
        d.put("verifyingContract", domain.verifyingContract());
        ObjectNode msg = root.putObject("message");
        msg.put("datanetId", manifest.datanetId().toString());
        msg.put("contributor", manifest.contributor());
        msg.put("merkleRoot", manifest.merkleRoot());
        msg.put("rowCount", manifest.rowCount());
        msg.put("licence", manifest.licence());
        msg.put("nonce", manifest.nonce().toString());
        try {
            return m.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addType(ArrayNode fields, String... nameType) {
        for (int i = 0; i < nameType.length; i += 2) {
            fields.addObject().put("name", nameType[i]).put("type", nameType[i + 1]);
        }
    }
}
