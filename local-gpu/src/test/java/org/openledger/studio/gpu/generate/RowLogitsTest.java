package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rows picked on the engine give what the host computes from every logit. */
class RowLogitsTest {

    @Test
    void theEnginesPickEqualsTheHostsFromEveryLogit() {
        int vocab = 9001;
        int rows = 3;
        Random rnd = new Random(9);
        float[] flat = new float[rows * vocab];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) (3 * rnd.nextGaussian());
        }
        int[] need = {1, 7, 4};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(flat, new Shape(rows, vocab));
            RowLogits[] picked = RowLogits.read(logits, need, true);
            RowLogits[] whole = RowLogits.read(logits, need, false);
            for (int r = 0; r < rows; r++) {
                float[] row = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
                assertTrue(whole[r].whole());
                assertArrayEquals(row, whole[r].all(), 0f);
                assertFalse(picked[r].whole(), "row " + r + " read only its top tokens");
                assertEquals(need[1], picked[r].ids().length, "each row gets the step's largest need");
                float[] logp = Sampler.logSoftmax(row);
                assertArrayEquals(Sampler.topIndices(row, need[1]), picked[r].ids());
                for (int i = 0; i < need[1]; i++) {
                    int id = picked[r].ids()[i];
                    assertEquals(row[id], picked[r].logits()[i], 0f, "raw logits as they are");
                    assertEquals(logp[id], picked[r].logprob(id), 1e-5);
                }
                var want = Sampler.top(logp, 4, id -> "t" + id);
                var got = picked[r].top(4, id -> "t" + id);
                assertEquals(4, got.size());
                for (int i = 0; i < 4; i++) {
                    assertEquals(want.get(i).id(), got.get(i).id());
                    assertEquals(want.get(i).text(), got.get(i).text());
                    assertEquals(want.get(i).logprob(), got.get(i).logprob(), 1e-5);
                }
            }
            // a seeded top-k draw from the picked tokens is the draw from every logit
            for (long seed = 1; seed <= 20; seed++) {
                GenerationRequest topK = GenerationRequest.builder(new long[] {1}).temperature(0.9).topK(7)
                        .topP(0.8).seed(seed).build();
                assertEquals(new Sampler(topK).choose(whole[1].all()), new Sampler(topK).choose(picked[1]));
                GenerationRequest greedy = GenerationRequest.builder(new long[] {1}).greedy().build();
                assertEquals(Sampler.argmax(whole[0].all()), new Sampler(greedy).choose(picked[0]));
            }
            assertEquals(0, RowLogits.need(GenerationRequest.builder(new long[] {1}).build(), vocab),
                    "plain sampling needs every logit");
            assertEquals(0, RowLogits.need(GenerationRequest.builder(new long[] {1}).greedy().presencePenalty(0.5)
                    .build(), vocab), "a penalty may lift any token");
            assertEquals(5, RowLogits.need(GenerationRequest.builder(new long[] {1}).greedy().logprobs(5).build(),
                    vocab));
            assertEquals(40, RowLogits.need(GenerationRequest.builder(new long[] {1}).topK(40).logprobs(3).build(),
                    vocab));
        }
    }
}
