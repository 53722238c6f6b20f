package org.openledger.studio.daemon.handlers;

import java.util.List;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;

/**
 * The inference endpoints of a node that serves no model: clients see an empty model list and a clear 404, not a
 * missing endpoint.
 */
public final class NoModelHandlers {

    private NoModelHandlers() {
    }

    public static void register(Router router) {
        router.add("GET", "/v1/models", req -> Response.json(ModelList.of(List.of())));
        router.add("POST", "/v1/completions", req -> {
            throw notServed();
        });
        router.add("POST", "/v1/chat/completions", req -> {
            throw notServed();
        });
        router.add("GET", "/v1/adapters/{id}", req -> {
            throw notServed();
        });
        router.add("GET", "/v1/adapters/{id}/files/{name}", req -> {
            throw notServed();
        });
        router.add("PUT", "/v1/adapters/{id}/files/{name}", req -> {
            throw notServed();
        });
        router.add("POST", "/v1/adapters/{id}/commit", req -> {
            throw notServed();
        });
    }

    private static ApiException notServed() {
        return new ApiException(404, "invalid_request_error", "model_not_found", "model",
                "This node serves no model; start it with --base-model DIR");
    }
}
