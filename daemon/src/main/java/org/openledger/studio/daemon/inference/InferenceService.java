package org.openledger.studio.daemon.inference;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openledger.studio.gpu.generate.BatchScheduler;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.GenerationResult;
import org.openledger.studio.gpu.generate.InvalidRequestException;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.generate.TokenEvent;
import org.openledger.studio.gpu.generate.TokenListener;
import org.openledger.studio.gpu.tokenizer.ChatMessage;
import org.openledger.studio.gpu.tokenizer.ChatTemplateException;

/**
 * Completions and chats on the served models: resolves the model, turns the prompt into token ids, queues one row
 * per choice on the shared {@link BatchScheduler} (requests of all clients share its running batch), and returns
 * when every choice is done; the adapter stays leased until then. Token events reach the
 * listener as they are generated (on the generation thread: the listener must only hand them on).
 */
public final class InferenceService implements AutoCloseable {

    private final ServedModels models;
    private final BatchScheduler queue;
    private final java.util.concurrent.ExecutorService worker;
    private final java.util.concurrent.atomic.AtomicLong generated = new java.util.concurrent.atomic.AtomicLong();
    /** Rows queued or generating now; a row whose client left is out of it once cancelled. */
    private final java.util.concurrent.atomic.AtomicInteger activeRows = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong cancelledRows = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param worker runs the queue's batches (one at a time); shut down when this service closes
     */
    public InferenceService(ServedModels models, BatchScheduler queue, java.util.concurrent.ExecutorService worker) {
        this.models = models;
        this.queue = queue;
        this.worker = worker;
    }

    public ServedModels models() {
        return models;
    }

    /**
     * A text completion.
     *
     * @param text      the prompt as text, or null when {@code ids} is given
     * @param ids       the prompt as token ids, or null
     * @param echoScore also score the prompt's tokens (OpenAI's echo with logprobs)
     */
    public Completion complete(String model, String text, long[] ids, int n, Sampling sampling, boolean echoScore,
                               TokenListener listener)
            throws ModelNotFoundException, InvalidRequestException, IOException, InterruptedException {
        try (ServedModels.Target target = models.resolve(model)) {
            long[] prompt;
            String promptText;
            if (text != null) {
                prompt = Prompts.completion(target.base(), text);
                promptText = text;
            } else {
                prompt = ids;
                promptText = target.base().tokenizer().map(t -> t.decode(ids)).orElse("");
            }
            return run(target, prompt, promptText, n, sampling, echoScore, listener);
        }
    }

    /** A chat turn: the conversation through the model's chat template, then the assistant's reply. */
    public Completion chat(String model, List<ChatMessage> messages, int n, Sampling sampling, TokenListener listener)
            throws ModelNotFoundException, InvalidRequestException, IOException, InterruptedException {
        try (ServedModels.Target target = models.resolve(model)) {
            long[] prompt;
            List<String> endOfTurn;
            try {
                prompt = Prompts.chat(target.base(), messages);
                endOfTurn = Prompts.endOfTurn(target.base());
            } catch (ChatTemplateException e) {
                throw new InvalidRequestException("messages", "the conversation does not fit the model's chat template: "
                        + e.getMessage());
            }
            // the reply is the assistant's turn: it ends where the model starts writing the user's next one
            return run(target, prompt, "", n, sampling.alsoStoppingAt(endOfTurn), false, listener);
        }
    }

    private Completion run(ServedModels.Target target, long[] prompt, String promptText, int n, Sampling s,
                           boolean echoScore, TokenListener listener)
            throws InvalidRequestException, InterruptedException {
        List<GenerationRequest> rows = new ArrayList<>();
        int context = target.base().context();
        int maxTokens = s.maxTokens() != Sampling.UNTIL_CONTEXT ? s.maxTokens() : Math.max(0, context - prompt.length);
        // in long: max_tokens near Integer.MAX_VALUE must not wrap the sum below the context (a prompt longer than
        // the context is the generator's to refuse, naming the prompt)
        long total = (long) prompt.length + maxTokens;
        if (prompt.length <= context && total > context) {
            throw new InvalidRequestException("max_tokens", "this model's maximum context length is " + context
                    + " tokens, but " + total + " were requested (" + prompt.length + " in the prompt, " + maxTokens
                    + " for the completion); reduce the prompt or max_tokens");
        }
        for (int i = 0; i < n; i++) {
            rows.add(GenerationRequest.builder(prompt)
                    .maxTokens(maxTokens)
                    .temperature(s.temperature())
                    .topP(s.topP())
                    .topK(s.topK())
                    .seed(s.seed() == null ? null : s.seed() + i)
                    .stop(s.stop())
                    .logprobs(s.logprobs())
                    .presencePenalty(s.presencePenalty())
                    .frequencyPenalty(s.frequencyPenalty())
                    .logitBias(s.logitBias())
                    .promptLogprobs(echoScore)
                    .adapter(target.adapter() == null ? null : target.adapter().weights())
                    .build());
        }
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < rows.size(); i++) {
                int choice = i;
                CompletableFuture<GenerationResult> f = queue.submit(rows.get(i), e -> {
                    if (e.token() != null) {
                        generated.incrementAndGet();
                    }
                    listener.onEvent(new TokenEvent(choice, e.token(), e.textDelta(), e.finish()));
                });
                activeRows.incrementAndGet();
                f.whenComplete((r, failure) -> {
                    activeRows.decrementAndGet();
                    if (f.isCancelled()) {
                        cancelledRows.incrementAndGet();
                    }
                });
                futures.add(f);
            }
        } catch (RuntimeException | InvalidRequestException e) { // e.g. the queue is full: no choice half-served
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        try {
            List<GenerationResult> results = new ArrayList<>();
            for (CompletableFuture<GenerationResult> f : futures) {
                results.add(f.get());
            }
            long tokens = 0;
            for (GenerationResult r : results) {
                tokens += r.tokenIds().length;
            }
            target.served(tokens);
            return new Completion(target.id(), promptText, results, prompt);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("generation failed: " + cause, cause);
        }
    }

    /** Prometheus text: completion tokens generated so far, of every request (those whose client left included). */
    public String metrics() {
        return "# HELP studio_inference_tokens_total Completion tokens generated.\n"
                + "# TYPE studio_inference_tokens_total counter\n"
                + "studio_inference_tokens_total " + generated.get() + "\n"
                + "# HELP studio_inference_active_rows Rows queued or being generated now.\n"
                + "# TYPE studio_inference_active_rows gauge\n"
                + "studio_inference_active_rows " + activeRows.get() + "\n"
                + "# HELP studio_inference_cancelled_rows_total Rows cancelled because their client went away.\n"
                + "# TYPE studio_inference_cancelled_rows_total counter\n"
                + "studio_inference_cancelled_rows_total " + cancelledRows.get() + "\n"
                + "# HELP studio_lora_merges_total Times an adapter that dominated the rows was merged into a copy of"
                + " the base weights.\n"
                + "# TYPE studio_lora_merges_total counter\n"
                + "studio_lora_merges_total " + queue.merges() + "\n"
                + "# HELP studio_lora_merged_steps_total Decoding steps run wholly on a merged copy, no LoRA term.\n"
                + "# TYPE studio_lora_merged_steps_total counter\n"
                + "studio_lora_merged_steps_total " + queue.mergedSteps() + "\n"
                + "# HELP studio_lora_split_steps_total Steps run as two passes: merged rows and the others.\n"
                + "# TYPE studio_lora_split_steps_total counter\n"
                + "studio_lora_split_steps_total " + queue.splitSteps() + "\n";
    }

    @Override
    public void close() {
        queue.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        models.close();
    }
}
