package org.openledger.studio.datanet.contribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.datanet.check.RowHash;
import org.web3j.crypto.Hash;

class MerkleTreeTest {

    private static List<byte[]> rows(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(RowHash.of("row " + i));
        }
        return out;
    }

    @Test
    void everyRowHasAProofAndForeignRowsHaveNone() {
        for (int n = 1; n <= 9; n++) {
            List<byte[]> rows = rows(n);
            MerkleTree tree = MerkleTree.of(rows);
            for (byte[] row : rows) {
                assertTrue(MerkleTree.verify(tree.proof(row), tree.root(), row), "n=" + n);
                assertFalse(MerkleTree.verify(tree.proof(row), tree.root(), RowHash.of("not a row")));
            }
        }
    }

    @Test
    void twoRowsFollowTheSortedPairRule() {
        byte[] a = Hash.sha3(RowHash.of("row 0"));
        byte[] b = Hash.sha3(RowHash.of("row 1"));
        boolean aFirst = Arrays.compareUnsigned(a, b) < 0;
        byte[] both = new byte[64];
        System.arraycopy(aFirst ? a : b, 0, both, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, both, 32, 32);
        assertArrayEquals(Hash.sha3(both), MerkleTree.of(rows(2)).root());
    }

    @Test
    void theRootDependsOnWhichRowsNotTheirOrder() {
        List<byte[]> rows = rows(7);
        byte[] root = MerkleTree.of(rows).root();
        List<byte[]> shuffled = new ArrayList<>(rows);
        Collections.reverse(shuffled);
        assertArrayEquals(root, MerkleTree.of(shuffled).root());
        rows.set(3, RowHash.of("changed"));
        assertFalse(Arrays.equals(root, MerkleTree.of(rows).root()));
        assertEquals(7, MerkleTree.of(rows).leafCount());
    }
}
