package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.openledger.studio.datanet.check.RowHash;

/**
 * What a contributor signs: which Datanet, who, under which licence, and exactly which rows (their hashes, in
 * upload order, and the Merkle root over them). The signature covers the root, so it covers every row.
 *
 * @param datanetId   the Datanet's id in the on-chain registry
 * @param contributor the contributor's address (0x + 40 hex digits)
 * @param nonce       makes each contribution's signature unique (the registry refuses a nonce twice)
 */
public record ContributionManifest(
        @JsonProperty("datanet_id") BigInteger datanetId,
        @JsonProperty("contributor") String contributor,
        @JsonProperty("licence") String licence,
        @JsonProperty("nonce") BigInteger nonce,
        @JsonProperty("row_count") int rowCount,
        @JsonProperty("merkle_root") String merkleRoot,
        @JsonProperty("row_hashes") List<String> rowHashes) {

    public ContributionManifest {
        Objects.requireNonNull(datanetId, "datanetId");
        Objects.requireNonNull(contributor, "contributor");
        Objects.requireNonNull(licence, "licence");
        Objects.requireNonNull(nonce, "nonce");
        if (!contributor.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("the contributor must be an address (0x + 40 hex digits): " + contributor);
        }
        rowHashes = List.copyOf(rowHashes);
        if (rowCount != rowHashes.size()) {
            throw new IllegalArgumentException("row_count " + rowCount + " but " + rowHashes.size() + " row hashes");
        }
    }

    /** Builds the manifest, computing the Merkle root from the row hashes. */
    public static ContributionManifest of(BigInteger datanetId, String contributor, String licence, BigInteger nonce,
                                          List<byte[]> rowHashes) {
        String root = RowHash.hex(MerkleTree.of(rowHashes).root());
        return new ContributionManifest(datanetId, contributor, licence, nonce, rowHashes.size(), root,
                rowHashes.stream().map(RowHash::hex).toList());
    }

    /** The row hashes as bytes. */
    @JsonIgnore
    public List<byte[]> rowHashBytes() {
        return rowHashes.stream().map(Hex::bytes).toList();
    }

    /** Whether the Merkle root is the one the row hashes give. */
    @JsonIgnore
    public boolean rootMatchesRows() {
        return RowHash.hex(MerkleTree.of(rowHashBytes()).root()).equalsIgnoreCase(merkleRoot);
    }
}
