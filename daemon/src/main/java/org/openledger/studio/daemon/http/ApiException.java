package org.openledger.studio.daemon.http;

import org.openledger.studio.api.ApiError;

/** Thrown by a handler to answer with an error status and an OpenAI-shaped JSON error body. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;

    public ApiException(int status, String type, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", message);
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return ApiError.of(getMessage(), type, code);
    }
}
