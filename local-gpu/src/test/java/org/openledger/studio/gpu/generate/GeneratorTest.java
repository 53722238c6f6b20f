package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.ReferenceLlama;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.Checkpoint;
import org.openledger.studio.gpu.safetensors.Tensor;
import org.openledger.studio.gpu.tokenizer.ChatMessage;

class GeneratorTest {

    @TempDir
    static Path dir;
    static BaseModel model;
    static Generator generator;
    static ReferenceLlama reference;

    @BeforeAll
    static void load() throws Exception {
        Path folder = dir.resolve("tiny-chat");
        TinyModels.chatModel(folder, 5);
        model = BaseModel.load(folder, DeviceScan.ofThisMachine().pick("cpu"));
        generator = new Generator(model);
        Map<String, Tensor> w = new java.util.HashMap<>();
        try (Checkpoint ck = Checkpoint.open(folder)) {
            for (String n : ck.names()) {
                w.put(n, ck.read(n));
            }
        }
        reference = new ReferenceLlama(model.config(), w);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static long[] prompt() throws Exception {
        return Prompts.chat(model, List.of(ChatMessage.user("Hello there, how are you?")));
    }

    @Test
    void greedyTokensAndLogprobsFollowThePlainJavaReference() throws Exception {
        long[] prompt = prompt();
        GenerationResult r = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(6)
                .stopAtEndOfSequence(false).logprobs(3).build(), TokenListener.NONE);
        assertEquals(6, r.completionTokenCount());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        long[] sequence = Arrays.copyOf(prompt, prompt.length + 6);
        for (int k = 0; k < 6; k++) {
            float[][] logits = reference.logits(Arrays.copyOf(sequence, prompt.length + k));
            float[] last = logits[logits.length - 1];
            float[] logp = Sampler.logSoftmax(last);
            GeneratedToken t = r.tokens().get(k);
            assertEquals(Sampler.argmax(last), t.id(), "token " + k);
            assertEquals(logp[(int) t.id()], t.logprob(), 1e-4);
            assertEquals(3, t.top().size());
            assertEquals(t.id(), t.top().get(0).id(), "the greedy choice is the most likely");
            assertTrue(t.top().get(0).logprob() >= t.top().get(1).logprob());
            sequence[prompt.length + k] = t.id();
        }
        assertEquals(model.requireTokenizer().decode(r.tokenIds()), r.text());
    }

    @Test
    void penaltiesAndLogitBiasSteerTheChoiceAsOpenAiDefinesThem() throws Exception {
        long[] prompt = prompt();
        GenerationResult r = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(6)
                .stopAtEndOfSequence(false).presencePenalty(1.0).frequencyPenalty(2.0).build(), TokenListener.NONE);
        long[] sequence = Arrays.copyOf(prompt, prompt.length + 6);
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        for (int k = 0; k < 6; k++) {
            float[][] logits = reference.logits(Arrays.copyOf(sequence, prompt.length + k));
            float[] last = logits[logits.length - 1].clone();
            float[] raw = Sampler.logSoftmax(last);
            counts.forEach((id, n) -> last[(int) (long) id] -= 1.0f + 2.0f * n);
            long chosen = r.tokens().get(k).id();
            assertEquals(Sampler.argmax(last), chosen, "token " + k);
            assertEquals(raw[(int) chosen], r.tokens().get(k).logprob(), 1e-4, "logprobs stay the model's own");
            counts.merge(chosen, 1, Integer::sum);
            sequence[prompt.length + k] = chosen;
        }
        GenerationResult biased = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(4)
                .stopAtEndOfSequence(false).logitBias(java.util.Map.of(42L, 100.0)).build(), TokenListener.NONE);
        assertArrayEquals(new long[] {42, 42, 42, 42}, biased.tokenIds());
    }

    @Test
    void echoScoresThePromptLikeTheReference() throws Exception {
        long[] prompt = prompt();
        List<TokenEvent> events = new ArrayList<>();
        GenerationResult r = generator.generate(GenerationRequest.builder(prompt).maxTokens(0)
                .promptLogprobs(true).logprobs(2).build(), events::add);
        assertEquals(0, r.completionTokenCount());
        assertEquals(List.of(new TokenEvent(0, null, "", FinishReason.LENGTH)), events, "a stream still closes");
        assertNull(r.prompt().get(0).logprob());
        float[][] logits = reference.logits(prompt);
        for (int t = 1; t < prompt.length; t++) {
            float want = Sampler.logSoftmax(logits[t - 1])[(int) prompt[t]];
            assertEquals(want, r.prompt().get(t).logprob(), 1e-4, "prompt token " + t);
            assertEquals(2, r.prompt().get(t).top().size());
        }
    }

    @Test
    void aPromptFedInSmallChunksGivesWhatOneStepGives() throws Exception {
        Generator chunked = new Generator(model, 3);
        List<GenerationRequest> requests = List.of(
                GenerationRequest.builder(prompt()).greedy().maxTokens(5).stopAtEndOfSequence(false).logprobs(2)
                        .promptLogprobs(true).build(),
                GenerationRequest.builder(Prompts.completion(model, "Hi")).greedy().maxTokens(5)
                        .stopAtEndOfSequence(false).promptLogprobs(true).build(),
                GenerationRequest.builder(Prompts.completion(model, "The dog sat on")).seed(5L).maxTokens(4)
                        .stopAtEndOfSequence(false).build());
        List<GenerationResult> whole = generator.generate(requests, TokenListener.NONE);
        List<GenerationResult> pieces = chunked.generate(requests, TokenListener.NONE);
        for (int r = 0; r < requests.size(); r++) {
            assertArrayEquals(whole.get(r).tokenIds(), pieces.get(r).tokenIds(), "row " + r);
            for (int t = 0; t < whole.get(r).tokens().size(); t++) {
                assertEquals(whole.get(r).tokens().get(t).logprob(), pieces.get(r).tokens().get(t).logprob(), 1e-5);
            }
            for (int t = 1; t < whole.get(r).prompt().size(); t++) {
                Float a = whole.get(r).prompt().get(t).logprob();
                Float b = pieces.get(r).prompt().get(t).logprob();
                if (a == null) {
                    assertNull(b);
                } else {
                    assertEquals(a, b, 1e-5, "prompt token " + t + " of row " + r);
                }
            }
        }
    }

    @Test
    void concurrentCallsFromSeveralThreadsGiveTheirOwnResults() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(GenerationRequest.builder(Prompts.completion(model, "Story " + i + ":")).seed((long) i)
                    .maxTokens(8).stopAtEndOfSequence(false).build());
        }
        List<long[]> sequential = new ArrayList<>();
        for (GenerationRequest r : requests) {
            sequential.add(generator.generate(r, TokenListener.NONE).tokenIds());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<GenerationResult>> futures = new ArrayList<>();
            for (GenerationRequest r : requests) {
                futures.add(pool.submit(() -> generator.generate(r, TokenListener.NONE)));
            }
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(sequential.get(i), futures.get(i).get().tokenIds(), "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSeedGivesTheSameTextAloneOrInABatch() throws Exception {
        long[] prompt = prompt();
        GenerationRequest seeded = GenerationRequest.builder(prompt).temperature(1.0).topP(0.95).topK(50)
                .seed(42L).maxTokens(10).stopAtEndOfSequence(false).build();
        GenerationResult alone = generator.generate(seeded, TokenListener.NONE);
        GenerationResult again = generator.generate(seeded, TokenListener.NONE);
        assertArrayEquals(alone.tokenIds(), again.tokenIds());
        long[] other = Prompts.completion(model, "The cat");
        List<GenerationResult> batch = generator.generate(List.of(
                GenerationRequest.builder(other).seed(1L).maxTokens(4).build(), seeded,
                GenerationRequest.builder(other).greedy().maxTokens(12).build()), TokenListener.NONE);
        assertArrayEquals(alone.tokenIds(), batch.get(1).tokenIds());
        boolean differs = false;
        for (long s = 1; s < 6 && !differs; s++) {
            GenerationResult d = generator.generate(GenerationRequest.builder(prompt).seed(42L + s).maxTokens(10)
                    .stopAtEndOfSequence(false).build(), TokenListener.NONE);
            differs = !Arrays.equals(d.tokenIds(), alone.tokenIds());
        }
        assertTrue(differs, "other seeds give other samples");
    }

    @Test
    void aRowGetsTheSameTokensAndLogprobsFromItsTopTokensAsFromEveryLogit() throws Exception {
        long[] prompt = prompt();
        List<GenerationRequest> light = List.of(
                GenerationRequest.builder(prompt).greedy().maxTokens(6).stopAtEndOfSequence(false).build(),
                GenerationRequest.builder(prompt).greedy().logprobs(5).maxTokens(6).stopAtEndOfSequence(false).build(),
                GenerationRequest.builder(prompt).temperature(0.8).topK(7).topP(0.9).seed(11L).logprobs(2)
                        .maxTokens(8).stopAtEndOfSequence(false).build(),
                GenerationRequest.builder(prompt).temperature(1.3).topK(3).seed(12L).logprobs(9).maxTokens(8)
                        .stopAtEndOfSequence(false).build());
        // a row that needs every logit (a penalty may lift any token) makes the whole step read every logit
        GenerationRequest heavy = GenerationRequest.builder(Prompts.completion(model, "The cat"))
                .presencePenalty(0.5).seed(2L).maxTokens(10).stopAtEndOfSequence(false).build();
        for (GenerationRequest r : light) {
            GenerationResult topOnly = generator.generate(r, TokenListener.NONE);
            GenerationResult whole = generator.generate(List.of(r, heavy), TokenListener.NONE).get(0);
            assertArrayEquals(whole.tokenIds(), topOnly.tokenIds());
            for (int k = 0; k < whole.tokens().size(); k++) {
                GeneratedToken a = whole.tokens().get(k);
                GeneratedToken b = topOnly.tokens().get(k);
                assertEquals(a.logprob(), b.logprob(), 1e-5, "token " + k);
                assertEquals(r.logprobs(), b.top().size());
                for (int i = 0; i < a.top().size(); i++) {
                    assertEquals(a.top().get(i).id(), b.top().get(i).id());
                    assertEquals(a.top().get(i).logprob(), b.top().get(i).logprob(), 1e-5);
                }
            }
        }
    }

    @Test
    void topKOfOneAndTinyTopPAreGreedy() throws Exception {
        long[] prompt = prompt();
        long[] greedy = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(8)
                .stopAtEndOfSequence(false).build(), TokenListener.NONE).tokenIds();
        assertArrayEquals(greedy, generator.generate(GenerationRequest.builder(prompt).topK(1).seed(3L).maxTokens(8)
                .stopAtEndOfSequence(false).build(), TokenListener.NONE).tokenIds());
        assertArrayEquals(greedy, generator.generate(GenerationRequest.builder(prompt).topP(1e-6).seed(4L)
                .maxTokens(8).stopAtEndOfSequence(false).build(), TokenListener.NONE).tokenIds());
    }

    @Test
    void stopSequenceCutsTheTextAndTheStreamNeverShowsIt() throws Exception {
        long[] prompt = Prompts.completion(model, "Once upon a time");
        GenerationResult full = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(20)
                .stopAtEndOfSequence(false).build(), TokenListener.NONE);
        String text = full.text();
        assertTrue(text.length() > 8, "need some text: " + text);
        String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
        int cut = text.indexOf(stop);
        StringBuilder streamed = new StringBuilder();
        List<TokenEvent> events = new ArrayList<>();
        GenerationResult r = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(20)
                .stopAtEndOfSequence(false).stop(List.of("never-appears", stop)).build(), e -> {
                    events.add(e);
                    streamed.append(e.textDelta());
                });
        assertEquals(text.substring(0, cut), r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(r.text(), streamed.toString());
        assertEquals(FinishReason.STOP, events.get(events.size() - 1).finish());
        assertTrue(events.subList(0, events.size() - 1).stream().allMatch(e -> e.finish() == null));
        assertTrue(r.completionTokenCount() < 20);
    }

    @Test
    void streamingDeliversEveryTokenAndTheWholeText() throws Exception {
        StringBuilder streamed = new StringBuilder();
        List<Long> ids = new ArrayList<>();
        GenerationResult r = generator.generate(GenerationRequest.builder(prompt()).seed(9L).maxTokens(7)
                .stopAtEndOfSequence(false).build(), e -> {
                    streamed.append(e.textDelta());
                    ids.add(e.token().id());
                });
        assertEquals(7, ids.size());
        assertArrayEquals(r.tokenIds(), ids.stream().mapToLong(Long::longValue).toArray());
        assertEquals(r.text(), streamed.toString());
    }

    @Test
    void endOfSequenceStopsWithoutBeingReturned() throws Exception {
        long[] prompt = prompt();
        long[] greedy = generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(8)
                .stopAtEndOfSequence(false).build(), TokenListener.NONE).tokenIds();
        long eos = greedy[3];
        int firstAt = 0;
        while (greedy[firstAt] != eos) {
            firstAt++;
        }
        Path folder = dir.resolve("eos-model");
        java.nio.file.Files.createDirectories(folder);
        for (String f : List.of("model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            java.nio.file.Files.copy(model.folder().resolve(f), folder.resolve(f));
        }
        model.config().withSpecialTokens(List.of(0), List.of((int) eos)).write(folder);
        try (BaseModel m = BaseModel.load(folder, model.device())) {
            GenerationResult r = new Generator(m).generate(GenerationRequest.builder(prompt).greedy().maxTokens(8)
                    .build(), TokenListener.NONE);
            assertEquals(FinishReason.STOP, r.finishReason());
            assertArrayEquals(Arrays.copyOf(greedy, firstAt), r.tokenIds());
        }
    }

    @Test
    void eachRowUsesItsOwnAdapter() throws Exception {
        ModelConfig c = model.config();
        var adapter = TinyAdapters.random("style", c, 4, 8, EnumSet.allOf(Projection.class), false, 77, false);
        long[] prompt = prompt();
        try (AdapterWeights w = model.upload(adapter)) {
            GenerationRequest withAdapter = GenerationRequest.builder(prompt).greedy().maxTokens(6)
                    .stopAtEndOfSequence(false).adapter(w).build();
            GenerationRequest plain = GenerationRequest.builder(prompt).greedy().maxTokens(6)
                    .stopAtEndOfSequence(false).build();
            List<GenerationResult> both = generator.generate(List.of(withAdapter, plain), TokenListener.NONE);
            assertArrayEquals(generator.generate(withAdapter, TokenListener.NONE).tokenIds(), both.get(0).tokenIds());
            assertArrayEquals(generator.generate(plain, TokenListener.NONE).tokenIds(), both.get(1).tokenIds());
            try (BaseModel merged = model.merge(adapter)) {
                assertEquals("tiny-chat+style", merged.id());
                GenerationResult viaMerge = new Generator(merged).generate(plain, TokenListener.NONE);
                assertArrayEquals(both.get(0).tokenIds(), viaMerge.tokenIds());
            }
        }
    }

    @Test
    void generationLeavesNoArraysBehindOnTheModel() throws Exception {
        var manager = model.transformer().weights().manager();
        long[] prompt = prompt();
        GenerationRequest r = GenerationRequest.builder(prompt).maxTokens(5).seed(1L).promptLogprobs(true).build();
        generator.generate(List.of(r, r), TokenListener.NONE);
        int before = manager.getManagedArrays().size();
        var adapter = TinyAdapters.random("leak", model.config(), 2, 4, EnumSet.of(Projection.V), false, 3, false);
        for (int i = 0; i < 3; i++) {
            try (AdapterWeights w = model.upload(adapter)) {
                generator.generate(List.of(r, GenerationRequest.builder(prompt).maxTokens(4).adapter(w).build()),
                        TokenListener.NONE);
            }
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void interruptingTheThreadCancelsGeneration() throws Exception {
        List<TokenEvent> seen = new ArrayList<>();
        GenerationRequest r = GenerationRequest.builder(prompt()).maxTokens(20).stopAtEndOfSequence(false).seed(2L)
                .build();
        assertThrows(java.util.concurrent.CancellationException.class, () -> generator.generate(r, e -> {
            seen.add(e);
            if (seen.size() == 3) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(Thread.interrupted(), "the interrupt is left for the caller to see");
        assertEquals(3, seen.size());
        assertEquals(20, generator.generate(r, TokenListener.NONE).completionTokenCount(), "the model still serves");
    }

    @Test
    void refusesRequestsItCannotServe() throws Exception {
        int context = model.config().maxPositionEmbeddings();
        long[] tooLong = new long[context + 1];
        assertEquals("prompt", refused(GenerationRequest.builder(tooLong).build()).param());
        long[] nearlyFull = new long[context - 4];
        InvalidRequestException e = refused(GenerationRequest.builder(nearlyFull).maxTokens(10).build());
        assertEquals("max_tokens", e.param());
        assertTrue(e.getMessage().contains("maximum context length is " + context), e.getMessage());
        assertEquals("prompt", refused(GenerationRequest.builder(new long[] {1, 300}).build()).param());
        assertEquals("prompt", refused(GenerationRequest.builder(new long[0]).build()).param());
        assertEquals("temperature", refused(GenerationRequest.builder(new long[] {1}).temperature(-1).build()).param());
        assertEquals("top_p", refused(GenerationRequest.builder(new long[] {1}).topP(0).build()).param());
        assertEquals("logprobs", refused(GenerationRequest.builder(new long[] {1}).logprobs(21).build()).param());
        assertEquals("stop", refused(GenerationRequest.builder(new long[] {1}).stop(List.of("")).build()).param());
        assertEquals("presence_penalty",
                refused(GenerationRequest.builder(new long[] {1}).presencePenalty(3).build()).param());
        assertEquals("logit_bias", refused(GenerationRequest.builder(new long[] {1})
                .logitBias(java.util.Map.of(300L, 1.0)).build()).param());
    }

    private static InvalidRequestException refused(GenerationRequest r) {
        return assertThrows(InvalidRequestException.class, () -> generator.generate(r, TokenListener.NONE));
    }
}
