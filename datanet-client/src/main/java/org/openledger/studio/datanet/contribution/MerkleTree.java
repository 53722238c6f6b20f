package org.openledger.studio.datanet.contribution;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.openledger.studio.wallet.merkle.SortedPairMerkleTree;
import org.web3j.crypto.Hash;

/**
 * The Merkle tree over a contribution's row hashes, in the scheme OpenZeppelin's {@code MerkleProof.verify} checks:
 * leaf = keccak256(rowHash) (hashing twice keeps a leaf from posing as an inner node), leaves sorted and distinct,
 * parent = keccak256 of the two children in ascending byte order, an unpaired node moves up unchanged. So the
 * registry contract can check any row's membership with a proof of log2(n) hashes.
 */
public final class MerkleTree {

    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    private final SortedPairMerkleTree tree;

    private MerkleTree(SortedPairMerkleTree tree) {
        this.tree = tree;
    }

    /** @throws IllegalArgumentException for no rows or a hash that is not 32 bytes */
    public static MerkleTree of(List<byte[]> rowHashes) {
        if (rowHashes.isEmpty()) {
            throw new IllegalArgumentException("a contribution needs at least one row");
        }
        byte[][] leaves = rowHashes.stream().map(MerkleTree::leaf).sorted(BYTES).toArray(byte[][]::new);
        int distinct = 0;
        for (int i = 0; i < leaves.length; i++) {
            if (i == 0 || !Arrays.equals(leaves[i], leaves[i - 1])) {
                leaves[distinct++] = leaves[i];
            }
        }
        return new MerkleTree(new SortedPairMerkleTree(Arrays.copyOf(leaves, distinct)));
    }

    public byte[] root() {
        return tree.root();
    }

    public int leafCount() {
        return tree.leafCount();
    }

    /** The sibling hashes from the row's leaf up to the root. */
    public List<byte[]> proof(byte[] rowHash) {
        int index = Arrays.binarySearch(tree.leaves(), leaf(rowHash), BYTES);
        if (index < 0) {
            throw new IllegalArgumentException("the row is not part of this contribution");
        }
        return tree.proof(index);
    }

    /** What the contract does: fold the proof into the leaf and compare with the root. */
    public static boolean verify(List<byte[]> proof, byte[] root, byte[] rowHash) {
        return SortedPairMerkleTree.verify(proof, root, leaf(rowHash));
    }

    static byte[] leaf(byte[] rowHash) {
        if (rowHash.length != 32) {
            throw new IllegalArgumentException("a row hash has 32 bytes, this one " + rowHash.length);
        }
        return Hash.sha3(rowHash);
    }
}
