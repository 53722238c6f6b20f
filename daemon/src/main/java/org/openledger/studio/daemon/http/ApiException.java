package org.openledger.studio.daemon.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.Wire;

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

    /**
     * This error as a whole HTTP/1.1 answer, as the {@link HttpFront} writes it to a socket itself: status line, JSON
     * content type and length, {@code Retry-After} when set, {@code Connection: close}, the error body.
     */
    byte[] wire() {
        byte[] body;
        try {
            body = Wire.mapper().writeValueAsBytes(body());
        } catch (IOException impossible) {
            body = "{}".getBytes(StandardCharsets.US_ASCII);
        }
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (retryAfterSeconds == null ? "" : "Retry-After: " + retryAfterSeconds + "\r\n")
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
