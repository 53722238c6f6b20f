package org.openledger.studio.daemon.http;

import org.openledger.studio.api.ApiError;

/** Thrown by a handler to answer with an error status and an OpenAI-shaped JSON error body. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private Integer retryAfterSeconds;

    public ApiException(int status, String type, String code, String message) {
        this(status, type, code, null, message);
    }

    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** A 400 naming the request field at fault, as OpenAI's errors do. */
    public static ApiException badParam(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", message);
    }

    /** Adds a Retry-After header to the response (429, 503). */
    public ApiException withRetryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for the Retry-After header, or null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return ApiError.of(getMessage(), type, param, code);
    }
}
