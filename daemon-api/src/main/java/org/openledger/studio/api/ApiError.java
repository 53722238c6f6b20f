package org.openledger.studio.api;

/**
 * The error body every endpoint returns, in OpenAI's shape: {@code {"error": {"message", "type", "code"}}}.
 *
 * @param error what went wrong
 */
public record ApiError(Detail error) {

    /**
     * @param message a sentence a person can act on
     * @param type    a stable category, e.g. {@code invalid_request_error}, {@code authentication_error}
     * @param param   the request field at fault, or null
     * @param code    a stable machine-readable code, e.g. {@code not_found}, or null
     */
    public record Detail(String message, String type, String param, String code) {
    }

    public static ApiError of(String message, String type, String code) {
        return new ApiError(new Detail(message, type, null, code));
    }

    public static ApiError of(String message, String type, String param, String code) {
        return new ApiError(new Detail(message, type, param, code));
    }
}
