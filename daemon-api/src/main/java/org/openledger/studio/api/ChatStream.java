package org.openledger.studio.api;

import okhttp3.Call;
import okhttp3.Response;
import org.openledger.studio.api.openai.ChatCompletionResponse;

/** The chunks of a streamed chat completion, read one at a time from the node's server-sent events. */
public final class ChatStream extends EventStream<ChatCompletionResponse> {

    ChatStream(Call call, Response response) {
        super(call, response, ChatCompletionResponse.class);
    }
}
