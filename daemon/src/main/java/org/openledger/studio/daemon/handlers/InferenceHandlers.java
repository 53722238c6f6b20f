package org.openledger.studio.daemon.handlers;

import java.util.concurrent.ExecutorService;
import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.CompletionRequest;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.ClientGoneException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.http.SseWriter;
import org.openledger.studio.daemon.inference.AnswerAttribution;
import org.openledger.studio.daemon.inference.Completion;
import org.openledger.studio.daemon.inference.InferenceService;
import org.openledger.studio.daemon.inference.Sampling;
import org.openledger.studio.daemon.inference.TokenPipe;
import org.openledger.studio.daemon.inference.WatchedCall;
import org.openledger.studio.daemon.openai.OpenAiErrors;
import org.openledger.studio.daemon.openai.OpenAiRequests;
import org.openledger.studio.daemon.openai.OpenAiResponses;
import org.openledger.studio.gpu.generate.TokenEvent;

/** OpenAI-compatible inference: {@code /v1/models}, {@code /v1/completions}, {@code /v1/chat/completions}. */
public final class InferenceHandlers {

    private static final String SSE = "text/event-stream; charset=utf-8";

    private final InferenceService inference;
    private final ExecutorService streams;
    private final AnswerAttribution attribution;

    /**
     * @param streams     runs streamed requests' generation while the HTTP thread writes their events
     * @param attribution queues each answer's attribution (its id goes into the response)
     */
    public InferenceHandlers(InferenceService inference, ExecutorService streams, AnswerAttribution attribution) {
        this.inference = inference;
        this.streams = streams;
        this.attribution = attribution;
    }

    public void register(Router router) {
        router.add("GET", "/v1/models", req -> Response.json(ModelList.of(attribution.priced(
                inference.models().list()))));
        router.add("POST", "/v1/completions", this::completions);
        router.add("POST", "/v1/chat/completions", this::chat);
    }

    private Response completions(Request req) throws Exception {
        CompletionRequest body = req.json(CompletionRequest.class);
        prefetch(body.model()); // the adapter loads while the request is checked and tokenised
        OpenAiRequests.Prompt prompt = OpenAiRequests.prompt(body.prompt());
        Sampling sampling = OpenAiRequests.completionSampling(body);
        int n = OpenAiRequests.choices(body.n());
        boolean echo = Boolean.TRUE.equals(body.echo());
        boolean logprobs = body.logprobs() != null;
        TokenPipe.Work<Completion> work = listener -> inference.complete(body.model(), prompt.text(), prompt.ids(), n,
                sampling, echo && logprobs, listener);
        OpenAiResponses out = OpenAiResponses.completion(modelName(body.model()));
        if (!Boolean.TRUE.equals(body.stream())) {
            return completion(req, work, out, echo, logprobs);
        }
        return streamed(work, e -> out.completionChunk(e, logprobs),
                done -> out.completionUsage(done).withAttributionId(attribute(done)));
    }

    private Response chat(Request req) throws Exception {
        ChatCompletionRequest body = req.json(ChatCompletionRequest.class);
        prefetch(body.model());
        var messages = OpenAiRequests.messages(body.messages());
        Sampling sampling = OpenAiRequests.chatSampling(body);
        int n = OpenAiRequests.choices(body.n());
        boolean logprobs = Boolean.TRUE.equals(body.logprobs());
        TokenPipe.Work<Completion> work = listener -> inference.chat(body.model(), messages, n, sampling, listener);
        OpenAiResponses out = OpenAiResponses.chat(modelName(body.model()));
        if (!Boolean.TRUE.equals(body.stream())) {
            Completion done = call(req, work);
            return Response.json(out.chat(done, logprobs).withAttributionId(attribute(done)));
        }
        return streamed(work, e -> out.chatChunk(e, logprobs),
                done -> out.chatUsage(done).withAttributionId(attribute(done)));
    }

    /** An SSE answer: one chunk per token event, then the usage chunk (with its attribution id) and [DONE]. */
    private Response streamed(TokenPipe.Work<Completion> work,
                              java.util.function.Function<TokenEvent, Object> chunk,
                              java.util.function.Function<Completion, Object> usage) {
        TokenPipe<Completion> pipe = start(work);
        return Response.stream(SSE, stream -> {
            SseWriter sse = new SseWriter(stream);
            Completion done = drain(pipe, sse, e -> sse.send(chunk.apply(e)));
            if (done != null) {
                sse.send(usage.apply(done));
            }
            sse.done();
        });
    }

    private Response completion(Request req, TokenPipe.Work<Completion> work, OpenAiResponses out, boolean echo,
                                boolean logprobs) throws ClientGoneException {
        Completion done = call(req, work);
        return Response.json(out.completion(done, echo, logprobs).withAttributionId(attribute(done)));
    }

    /** The first choice's attribution, queued; null when the model's answers are not attributed. */
    private String attribute(Completion done) {
        return done.results().isEmpty() ? null
                : attribution.submit(done.model(), done.promptIds(), done.results().get(0).tokenIds());
    }

    /** A non-streamed answer, cancelled when its client closes the connection before it is ready. */
    private Completion call(Request req, TokenPipe.Work<Completion> work) throws ClientGoneException {
        java.util.Optional<Completion> done;
        try {
            done = WatchedCall.run(streams, work, req::clientGone);
        } catch (Exception e) {
            throw OpenAiErrors.toApi(e);
        }
        return done.orElseThrow(ClientGoneException::beforeTheAnswer);
    }

    private TokenPipe<Completion> start(TokenPipe.Work<Completion> work) {
        try {
            return TokenPipe.start(streams, work);
        } catch (Exception e) {
            throw OpenAiErrors.toApi(e);
        }
    }

    /** Streams the events; a failure after the first event becomes an error event, as OpenAI streams do. */
    private static Completion drain(TokenPipe<Completion> pipe, SseWriter sse, TokenPipe.Sink sink)
            throws java.io.IOException {
        try {
            return pipe.drain(sink);
        } catch (java.io.IOException e) {
            throw e;
        } catch (Exception e) {
            RuntimeException api = OpenAiErrors.toApi(e);
            sse.send(api instanceof ApiException a ? a.body()
                    : ApiError.of("generation failed: " + e.getMessage(), "server_error", "internal_error"));
            return null;
        }
    }

    private String modelName(String requested) {
        return requested != null ? requested : inference.models().hasBase() ? inference.models().base().id() : "";
    }

    private void prefetch(String model) {
        inference.models().prefetch(model);
    }
}
