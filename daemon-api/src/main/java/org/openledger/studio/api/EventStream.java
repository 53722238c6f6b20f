package org.openledger.studio.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Server-sent events from the node, read one {@code data:} payload at a time as {@code T} until {@code data: [DONE]}.
 * A payload with an {@code error} member is the node failing mid-stream. Not thread-safe, except {@link #close()},
 * which may be called from another thread to stop the stream.
 */
public class EventStream<T> implements Events<T> {

    private final Call call;
    private final Response response;
    private final BufferedSource source;
    private final Class<T> type;
    private boolean finished;

    EventStream(Call call, Response response, Class<T> type) {
        this.call = call;
        this.response = response;
        this.source = response.body().source();
        this.type = type;
    }

    /**
     * The next event, or null when the stream has ended ({@code data: [DONE]}) or was closed.
     *
     * @throws NodeClientException when the node reports an error mid-stream, or the connection breaks
     */
    @Override
    public T next() {
        try {
            while (!finished) {
                String line = source.readUtf8Line();
                if (line == null) {
                    finished = true;
                    if (call.isCanceled()) {
                        return null;
                    }
                    throw new NodeClientException(NodeClientException.Kind.BAD_RESPONSE, response.code(), null,
                            "The node ended the stream without [DONE]", null);
                }
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    finished = true;
                    return null;
                }
                JsonNode tree = Wire.mapper().readTree(data);
                if (tree.has("error")) {
                    ApiError error = Wire.mapper().treeToValue(tree, ApiError.class);
                    throw new NodeClientException(NodeClientException.Kind.HTTP_ERROR, response.code(), error,
                            "The node failed mid-stream: " + error.error().message(), null);
                }
                return Wire.mapper().treeToValue(tree, type);
            }
            return null;
        } catch (IOException e) {
            finished = true;
            if (call.isCanceled()) {
                return null;
            }
            throw new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                    "The stream from the node broke: " + e.getMessage(), e);
        }
    }

    /** Stops the stream; a blocked {@link #next()} returns null. */
    @Override
    public void close() {
        call.cancel();
        response.close();
    }
}
