package org.openledger.studio.wallet.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * A Merkle tree as OpenZeppelin's {@code MerkleProof.verify} checks it: leaves (already hashed by the caller, e.g.
 * double-hashed so no leaf can pose as an inner node) in the order given, inner nodes
 * {@code keccak256(min(a,b) || max(a,b))} so that proofs need no left/right flags, and an odd node at the end of a
 * level moves up unchanged. Reward epochs and Datanet contributions both use it.
 */
public final class SortedPairMerkleTree {

    private final List<byte[][]> levels = new ArrayList<>();

    /** @param leaves 32-byte leaf hashes, in the order the tree should hold them (callers sort them) */
    public SortedPairMerkleTree(byte[][] leaves) {
        if (leaves.length == 0) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
        byte[][] level = leaves.clone();
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = 2 * i + 1 < level.length ? parent(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.add(up);
            level = up;
        }
    }

    public byte[] root() {
        return levels.get(levels.size() - 1)[0].clone();
    }

    public int leafCount() {
        return levels.get(0).length;
    }

    /** The leaves, in tree order (for a binary search by callers that sorted them). */
    public byte[][] leaves() {
        return levels.get(0).clone();
    }

    /** The sibling hashes from leaf {@code index} up to the root. */
    public List<byte[]> proof(int index) {
        if (index < 0 || index >= leafCount()) {
            throw new IllegalArgumentException("no leaf " + index + " in a tree of " + leafCount());
        }
        List<byte[]> proof = new ArrayList<>();
        int i = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            byte[][] level = levels.get(l);
            int sibling = i ^ 1;
            if (sibling < level.length) {
                proof.add(level[sibling].clone());
            }
            i /= 2;
        }
        return proof;
    }

    /** What the contract does: fold the proof into the leaf and compare with the root. */
    public static boolean verify(List<byte[]> proof, byte[] root, byte[] leaf) {
        byte[] node = leaf;
        for (byte[] sibling : proof) {
            node = parent(node, sibling);
        }
        return Arrays.equals(node, root);
    }

    static byte[] parent(byte[] a, byte[] b) {
        byte[] both = new byte[64];
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(aFirst ? a : b, 0, both, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, both, 32, 32);
        return Hash.sha3(both);
    }
}
