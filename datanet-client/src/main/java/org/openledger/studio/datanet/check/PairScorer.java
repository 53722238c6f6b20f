package org.openledger.studio.datanet.check;

/**
 * Verifies a candidate pair: returns {@code {similarity, estimate}} where {@code similarity} is the exact Jaccard
 * index (or the estimate, when the texts are not at hand).
 */
@FunctionalInterface
public interface PairScorer {
    double[] score(int first, int second);
}
