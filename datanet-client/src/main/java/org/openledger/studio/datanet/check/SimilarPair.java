package org.openledger.studio.datanet.check;

/** Two rows (by index) found near-duplicate, with their Jaccard index and its MinHash estimate. */
public record SimilarPair(int first, int second, double similarity, double estimate) {
}
