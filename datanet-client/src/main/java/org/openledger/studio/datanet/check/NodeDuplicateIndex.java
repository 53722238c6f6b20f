package org.openledger.studio.datanet.check;

import java.util.List;

/**
 * A Datanet's near-duplicate index on the node, asked before upload so the report also covers rows other
 * contributors uploaded. The studio sends MinHash signatures only; the node answers from its own index with MinHash
 * estimates (it has no text of the new rows to verify against). {@link SignatureIndex} is the in-process
 * implementation the node serves; over HTTP {@code datanet.node.HttpRegistryClient} implements this interface.
 */
public interface NodeDuplicateIndex {

    /** Rows of the node's Datanet whose estimated Jaccard index with a query is at least {@code threshold}. */
    List<NodeMatch> nearDuplicates(List<SignatureQuery> queries, double threshold);

    /** One row to look up: the caller's row id, its hash and its MinHash signature. */
    record SignatureQuery(long row, String hash, int[] signature) {
    }

    /** A node row that matches a query row; {@code exact} when the row hashes are equal. */
    record NodeMatch(long row, String nodeRowHash, double estimatedSimilarity, boolean exact) {
    }
}
