package org.openledger.studio.ui.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.Events;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.ChatCompletionResponse;
import org.openledger.studio.api.openai.ChatMessage;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.api.openai.PlaygroundApi;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

class PlaygroundViewModelTest {

    private final FakeNode node = new FakeNode();
    private Optional<FakeNode> active = Optional.of(node);
    private final PlaygroundViewModel vm = new PlaygroundViewModel(() -> active, TestTasks.immediate());

    @Test
    void theNodesModelsAreListedAndTheFirstTwoChosen() {
        node.models = ModelList.of(List.of(model("tiny", "base", 256), model("tiny-rivers", "adapter", 256)));
        vm.refreshModels();
        assertEquals(List.of("tiny", "tiny-rivers"), vm.models());
        assertEquals("tiny", vm.left().modelProperty().get());
        assertEquals("tiny-rivers", vm.right().modelProperty().get());
        assertEquals("", vm.statusProperty().get());
    }

    @Test
    void aNodeWithoutModelsSaysHowToStartOne() {
        node.models = ModelList.of(List.of());
        vm.refreshModels();
        assertTrue(vm.statusProperty().get().startsWith("The active node serves no model: start it with --base-model"),
                vm.statusProperty().get());
    }

    @Test
    void aNodeErrorWhileListingShowsTheNodesMessage() {
        node.modelsFailure = NodeErrors.unauthorized();
        vm.refreshModels();
        assertEquals("Could not list models: The node at http://127.0.0.1:9 refused the token: invalid token",
                vm.statusProperty().get());
    }

    @Test
    void noActiveNodeIsSaid() {
        active = Optional.empty();
        vm.send("hello");
        assertEquals("No node is connected yet.", vm.statusProperty().get());
        assertTrue(vm.left().turns().isEmpty());
    }

    @Test
    void streamedTokensBuildTheReplyWithTheirProbabilitiesAndTheRecord() {
        listOneModel();
        node.chunks = () -> new ArrayDeque<>(List.of(token("The", -0.1f), token(" river", -0.7f),
                finish("stop"), usage("attr-7")));
        vm.maxTokensProperty().set(16);
        vm.send("  Where does the water go?  ");

        ChatCompletionRequest sent = node.requests.get(0);
        assertEquals("tiny", sent.model());
        assertEquals(List.of(new ChatMessage("user", "Where does the water go?")), sent.messages());
        assertEquals(16, sent.maxTokens());
        List<ChatTurn> turns = vm.left().turns();
        assertEquals(2, turns.size());
        ChatTurn reply = turns.get(1);
        assertEquals("The river", reply.text());
        assertEquals(List.of("The", " river"), reply.pieces().stream().map(TokenPiece::text).toList());
        assertEquals(-0.7f, reply.pieces().get(1).logprob());
        assertEquals(ChatTurn.State.DONE, reply.stateProperty().get());
        assertEquals("attr-7", reply.attributionIdProperty().get());
        assertFalse(vm.busyProperty().get());
        assertTrue(node.closed.get(0), "the stream is closed once read");
    }

    @Test
    void aLimitAtTheContextLeavesTheLengthToTheNode() {
        listOneModel();
        node.chunks = () -> new ArrayDeque<>(List.of(finish("length")));
        vm.maxTokensProperty().set(256);
        vm.send("hi");
        assertNull(node.requests.get(0).maxTokens());
        assertEquals("stopped at the token limit", vm.left().turns().get(1).noteProperty().get());
    }

    @Test
    void aNodeErrorMidStreamFailsTheReplyWithTheNodesMessage() {
        listOneModel();
        node.chunks = () -> new ArrayDeque<>(List.of(token("The", -0.1f)));
        node.failAfterChunks = NodeErrors.http(500, null, "the model ran out of memory");
        vm.send("hi");
        ChatTurn reply = vm.left().turns().get(1);
        assertEquals(ChatTurn.State.FAILED, reply.stateProperty().get());
        assertEquals("The node at http://127.0.0.1:9 answered 500: the model ran out of memory",
                reply.noteProperty().get());
        assertEquals("The", reply.text(), "what came before the error stays");
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void stopClosesTheStreamAndTheReplyIsMarkedStopped() {
        listOneModel();
        node.chunks = () -> new ArrayDeque<>(List.of(token("The", -0.1f), token(" river", -0.7f), finish("stop")));
        node.afterFirstChunk = vm::stop; // the user presses Stop while tokens arrive
        vm.send("hi");
        ChatTurn reply = vm.left().turns().get(1);
        assertEquals(ChatTurn.State.STOPPED, reply.stateProperty().get());
        assertEquals("stopped", reply.noteProperty().get());
        assertEquals("The", reply.text());
        assertTrue(node.closed.get(0));
    }

    @Test
    void comparingSendsThePromptToBothModels() {
        node.models = ModelList.of(List.of(model("tiny", "base", 256), model("tiny-rivers", "adapter", 256)));
        vm.refreshModels();
        node.chunks = () -> new ArrayDeque<>(List.of(token("ok", -0.1f), finish("stop")));
        vm.compareProperty().set(true);
        vm.send("hi");
        assertEquals(List.of("tiny", "tiny-rivers"), node.requests.stream().map(ChatCompletionRequest::model).toList());
        assertEquals("ok", vm.right().turns().get(1).text());
    }

    private void listOneModel() {
        node.models = ModelList.of(List.of(model("tiny", "base", 256)));
        vm.refreshModels();
    }

    private static ModelList.Model model(String id, String kind, int context) {
        return new ModelList.Model(id, "model", 0, "studio", "tiny", null, kind, context);
    }

    private static ChatCompletionResponse token(String text, float logprob) {
        var lp = new ChatCompletionResponse.Logprobs(List.of(new ChatCompletionResponse.TokenLogprob(text, logprob,
                List.of(new ChatCompletionResponse.TopLogprob(text, logprob)))));
        return chunk(new ChatCompletionResponse.Choice(0, null, new ChatMessage("assistant", text), lp, null));
    }

    private static ChatCompletionResponse finish(String reason) {
        return chunk(new ChatCompletionResponse.Choice(0, null, new ChatMessage("assistant", ""), null, reason));
    }

    private static ChatCompletionResponse usage(String attribution) {
        return new ChatCompletionResponse("c1", "chat.completion.chunk", 0, "tiny", List.of(), null, attribution);
    }

    private static ChatCompletionResponse chunk(ChatCompletionResponse.Choice c) {
        return new ChatCompletionResponse("c1", "chat.completion.chunk", 0, "tiny", List.of(c), null);
    }

    /** The node's Playground API, answering from what the test set. */
    private static final class FakeNode implements PlaygroundApi {
        ModelList models;
        RuntimeException modelsFailure;
        Supplier<Deque<ChatCompletionResponse>> chunks = ArrayDeque::new;
        RuntimeException failAfterChunks;
        Runnable afterFirstChunk;
        final List<ChatCompletionRequest> requests = new ArrayList<>();
        final List<Boolean> closed = new ArrayList<>();

        @Override
        public ModelList models() {
            if (modelsFailure != null) {
                throw modelsFailure;
            }
            return models;
        }

        @Override
        public Events<ChatCompletionResponse> streamChat(ChatCompletionRequest request) {
            requests.add(request);
            int index = closed.size();
            closed.add(false);
            Deque<ChatCompletionResponse> left = chunks.get();
            return new Events<>() {
                private int read;

                @Override
                public ChatCompletionResponse next() {
                    if (closed.get(index)) {
                        return null;
                    }
                    if (read == 1 && afterFirstChunk != null) {
                        afterFirstChunk.run();
                        if (closed.get(index)) {
                            return null;
                        }
                    }
                    ChatCompletionResponse c = left.poll();
                    if (c == null && failAfterChunks != null) {
                        throw failAfterChunks;
                    }
                    read++;
                    return c;
                }

                @Override
                public void close() {
                    closed.set(index, true);
                }
            };
        }

        @Override
        public AttributionRecord attribution(String id) {
            throw new UnsupportedOperationException("not asked in these tests");
        }
    }
}
