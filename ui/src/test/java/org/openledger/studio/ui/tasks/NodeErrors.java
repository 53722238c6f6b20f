package org.openledger.studio.ui.tasks;

import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.NodeClientException;

/** Failures as the node client reports them, for fakes of the node's API. */
public final class NodeErrors {

    private NodeErrors() {
    }

    /** The node answered {@code status} with its JSON error body. */
    public static NodeClientException http(int status, String param, String message) {
        return new NodeClientException(NodeClientException.Kind.HTTP_ERROR, status,
                ApiError.of(message, "invalid_request_error", param, null),
                "The node at http://127.0.0.1:9 answered " + status + ": " + message, null);
    }

    public static NodeClientException unreachable() {
        return new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                "Cannot reach the node at http://127.0.0.1:9: Connection refused", null);
    }

    public static NodeClientException unauthorized() {
        return new NodeClientException(NodeClientException.Kind.UNAUTHORIZED, 401, null,
                "The node at http://127.0.0.1:9 refused the token: invalid token", null);
    }
}
