package org.openledger.studio.datanet.contribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * The Merkle tree over a contribution's row hashes, in the scheme OpenZeppelin's {@code MerkleProof.verify} checks:
 * leaf = keccak256(rowHash) (hashing twice keeps a leaf from posing as an inner node), leaves sorted and distinct,
 * parent = keccak256 of the two children in ascending byte order, an unpaired node moves up unchanged. So the
 * registry contract can check any row's membership with a proof of log2(n) hashes.
 */
public final class MerkleTree {

    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    private final List<byte[][]> levels;

    private MerkleTree(List<byte[][]> levels) {
        this.levels = levels;
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
        List<byte[][]> levels = new ArrayList<>();
        byte[][] level = Arrays.copyOf(leaves, distinct);
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = 2 * i + 1 < level.length ? parent(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.add(up);
            level = up;
        }
        return new MerkleTree(levels);
    }

    public byte[] root() {
        return levels.get(levels.size() - 1)[0].clone();
    }

    public int leafCount() {
        return levels.get(0).length;
    }

    /** The sibling hashes from the row's leaf up to the root. */
    public List<byte[]> proof(byte[] rowHash) {
        byte[] leaf = leaf(rowHash);
        int index = Arrays.binarySearch(levels.get(0), leaf, BYTES);
        if (index < 0) {
            throw new IllegalArgumentException("the row is not part of this contribution");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int l = 0; l < levels.size() - 1; l++) {
            byte[][] level = levels.get(l);
            int sibling = index ^ 1;
            if (sibling < level.length) {
                proof.add(level[sibling].clone());
            }
            index /= 2;
        }
        return proof;
    }

    /** What the contract does: fold the proof into the leaf and compare with the root. */
    public static boolean verify(List<byte[]> proof, byte[] root, byte[] rowHash) {
        byte[] node = leaf(rowHash);
        for (byte[] sibling : proof) {
            node = parent(node, sibling);
        }
        return Arrays.equals(node, root);
    }

    static byte[] leaf(byte[] rowHash) {
        if (rowHash.length != 32) {
            throw new IllegalArgumentException("a row hash has 32 bytes, this one " + rowHash.length);
        }
        return Hash.sha3(rowHash);
    }

    private static byte[] parent(byte[] a, byte[] b) {
        byte[] both = new byte[64];
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(aFirst ? a : b, 0, both, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, both, 32, 32);
        return Hash.sha3(both);
    }
}
