package org.openledger.studio.attribution.influence;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Scores an answer against an adapter's influence index: the answer's loss gradient under the adapter (its
 * completion tokens given the prompt), projected with the index's own seeded projection, preconditioned, and
 * dotted with every training row's stored gradient. A positive score says that training on the row lowered the
 * answer's loss (made it more likely); a row's share is its score over the sum of all positive scores, and rows of
 * negative influence get no share (OpenLedger's I/ΣI over positive influence; the node's {@code Shares}).
 */
public final class InfluenceQuery implements AutoCloseable {

    private final InfluenceIndex index;
    private final ExampleGradients gradients;
    private final NDManager manager;
    private final GradientProjection projection;

    public InfluenceQuery(InfluenceIndex index, ExampleGradients gradients, NDManager parent) {
        if (index.manifest().parameters() != gradients.parameters()) {
            throw new IllegalArgumentException("the index was built for " + index.manifest().parameters()
                    + " LoRA parameters, the adapter has " + gradients.parameters());
        }
        this.index = index;
        this.gradients = gradients;
        this.manager = parent.newSubManager();
        this.projection = new GradientProjection(gradients.parameters(), index.k(), index.manifest().projectionSeed(),
                manager);
    }

    public InfluenceIndex index() {
        return index;
    }

    /** The answer's projected gradient. */
    public float[] projected(Example answer) {
        return InfluenceIndexBuilder.project(List.of(answer), gradients, projection, manager);
    }

    /** Every row's score (preconditioned unless {@code tracIn}). */
    public float[] scores(Example answer, boolean tracIn) {
        return index.scores(projected(answer), !tracIn);
    }

    @Override
    public void close() {
        manager.close();
    }
}
