package org.openledger.studio.api.openai;

import org.openledger.studio.api.Events;
import org.openledger.studio.api.attribution.AttributionRecords;

/** What the Playground asks a node: the models it serves, a streamed chat, and an answer's attribution record. */
public interface PlaygroundApi extends AttributionRecords {

    ModelList models();

    /** Opens a streamed chat completion; closing it (from any thread) stops the answer. */
    Events<ChatCompletionResponse> streamChat(ChatCompletionRequest request);
}
