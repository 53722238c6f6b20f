package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SamplerTest {

    static final float[] LOGITS = {(float) Math.log(1), (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};

    private static int[] counts(GenerationRequest r, int draws) {
        Sampler s = new Sampler(r);
        int[] c = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            c[s.choose(LOGITS)]++;
        }
        return c;
    }

    @Test
    void drawsFollowTheSoftmax() {
        int[] c = counts(GenerationRequest.builder(new long[] {0}).seed(1L).build(), 20000);
        for (int i = 0; i < 4; i++) {
            assertEquals((i + 1) / 10.0, c[i] / 20000.0, 0.015, "token " + i);
        }
    }

    @Test
    void topKAndTopPCutTheTail() {
        int[] k = counts(GenerationRequest.builder(new long[] {0}).seed(2L).topK(2).build(), 5000);
        assertEquals(0, k[0] + k[1]);
        assertEquals(4 / 7.0, k[3] / 5000.0, 0.03);
        // probabilities .4 .3 .2 .1: top-p 0.6 keeps the two most likely tokens
        int[] p = counts(GenerationRequest.builder(new long[] {0}).seed(3L).topP(0.6).build(), 5000);
        assertEquals(0, p[0] + p[1]);
    }

    @Test
    void lowTemperatureSharpensAndZeroIsArgmax() {
        int[] cold = counts(GenerationRequest.builder(new long[] {0}).seed(4L).temperature(0.1).build(), 2000);
        // p ~ (1, 2, 3, 4)^10: the top token has 4^10 / (1 + 2^10 + 3^10 + 4^10) = 0.9458
        assertEquals(0.9458, cold[3] / 2000.0, 0.015);
        assertEquals(2000, counts(GenerationRequest.builder(new long[] {0}).greedy().build(), 2000)[3]);
    }

    @Test
    void topIndicesAreTheLargestInOrderWithLowerIndexFirstOnTies() {
        float[] v = {0.5f, -3f, 7f, 0.5f, Float.NEGATIVE_INFINITY, 2f, -0f, 0f};
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 5, 0, 3}, Sampler.topIndices(v, 4));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 5, 0, 3, 7, 6, 1, 4}, Sampler.topIndices(v, 8)); // -0 sorts below +0
    }

    @Test
    void logSoftmaxIsNormalised() {
        float[] lp = Sampler.logSoftmax(LOGITS);
        assertEquals(Math.log(0.4), lp[3], 1e-6);
        assertEquals(3, Sampler.top(lp, 2, id -> "t" + id).get(0).id());
    }
}
