package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.merkle.SortedPairMerkleTree;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The Merkle tree of one reward epoch, as {@code RewardDistributor.claim} verifies it: a leaf per account,
 * {@code keccak256(keccak256(abi.encode(account, cumulative)))} (OpenZeppelin's double-hashed leaf, so no leaf can be
 * mistaken for an inner node), inner nodes {@code keccak256(min(a,b) || max(a,b))} so proofs need no left/right flags.
 * Leaves are sorted; an odd node at the end of a level moves up unchanged.
 */
public final class RewardTree {

    private final Map<Address, BigInteger> amounts;
    private final SortedPairMerkleTree tree;
    private final Map<Address, Integer> leafIndex = new HashMap<>();

    /** {@code cumulative}: each account's total earned up to and including this epoch (not the epoch's share). */
    public RewardTree(Map<Address, BigInteger> cumulative) {
        if (cumulative.isEmpty()) {
            throw new IllegalArgumentException("A reward tree needs at least one account");
        }
        this.amounts = new LinkedHashMap<>(cumulative);
        List<Map.Entry<Address, byte[]>> leaves = new ArrayList<>();
        cumulative.forEach((a, amount) -> {
            if (amount.signum() < 0) {
                throw new IllegalArgumentException("Negative reward for " + a);
            }
            leaves.add(Map.entry(a, leaf(a, amount)));
        });
        leaves.sort(Comparator.comparing(Map.Entry::getValue, Arrays::compareUnsigned));
        byte[][] level = new byte[leaves.size()][];
        for (int i = 0; i < leaves.size(); i++) {
            level[i] = leaves.get(i).getValue();
            leafIndex.put(leaves.get(i).getKey(), i);
        }
        this.tree = new SortedPairMerkleTree(level);
    }

    /** The leaf the contract computes for {@code (account, cumulative)}. */
    public static byte[] leaf(Address account, BigInteger cumulative) {
        String encoded = TypeEncoder.encode(new org.web3j.abi.datatypes.Address(account.lowercase()))
                + TypeEncoder.encode(new Uint256(cumulative));
        return Hash.sha3(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
    }

    public byte[] root() {
        return tree.root();
    }

    public BigInteger cumulative(Address account) {
        BigInteger v = amounts.get(account);
        if (v == null) {
            throw new IllegalArgumentException(account + " has no reward in this epoch's tree");
        }
        return v;
    }

    /** The sibling hashes from {@code account}'s leaf to the root. */
    public List<byte[]> proof(Address account) {
        Integer index = leafIndex.get(account);
        if (index == null) {
            throw new IllegalArgumentException(account + " has no reward in this epoch's tree");
        }
        return tree.proof(index);
    }

    /** What {@code MerkleProof.verify} does, for checking a proof fetched from a node before spending gas on it. */
    public static boolean verify(List<byte[]> proof, byte[] root, byte[] leaf) {
        return SortedPairMerkleTree.verify(proof, root, leaf);
    }
}
