package org.openledger.studio.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.api.Wire;

/** What a handler sees of an HTTP request: method, path parameters, query, headers and the body. */
public final class Request {

    /** The largest JSON body a handler reads into memory; uploads stream instead. */
    public static final int MAX_JSON_BODY = 16 * 1024 * 1024;

    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final Duration jsonTimeout;
    private java.util.function.BooleanSupplier clientGone = () -> false;
    private final int maxJson;

    Request(String method, String path, Map<String, String> pathParams, String rawQuery,
            Map<String, List<String>> headers, InputStream body) {
        this(method, path, pathParams, rawQuery, headers, body, ServerLimits.defaults().jsonBodyTimeout(),
                MAX_JSON_BODY);
    }

    /**
     * @param jsonTimeout the longest a JSON body may take to arrive
     * @param maxJson     the most bytes of a JSON body
     */
    Request(String method, String path, Map<String, String> pathParams, String rawQuery,
            Map<String, List<String>> headers, InputStream body, Duration jsonTimeout, long maxJson) {
        this.jsonTimeout = jsonTimeout;
        this.maxJson = (int) Math.min(maxJson, Integer.MAX_VALUE - 8);
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.query = parseQuery(rawQuery);
        this.headers = headers;
        this.body = body;
    }

    /** Set by the server: how to tell that the client closed its connection. */
    Request watchingClient(java.util.function.BooleanSupplier gone) {
        this.clientGone = gone;
        return this;
    }

    /**
     * Whether the client has closed its connection (it will never read the answer). Meant to be polled while a
     * long answer is worked out before any of it is written; false where the node cannot tell.
     */
    public boolean clientGone() {
        return clientGone.getAsBoolean();
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A parameter of the route pattern, e.g. {@code id} of {@code /v1/jobs/{id}}. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    public String query(String name) {
        return query.get(name);
    }

    public String header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The raw body, for streaming uploads. */
    public InputStream body() {
        return body;
    }

    /**
     * Reads the body as JSON into {@code type}.
     *
     * @throws ApiException 400 when the body is missing, too large or not valid JSON of that shape
     */
    public <T> T json(Class<T> type) {
        byte[] bytes;
        if (declaredLength() > MAX_JSON_BODY) {
            // refused before a byte of it is read
            throw new ApiException(413, "invalid_request_error", "body_too_large",
                    "The JSON body is larger than " + MAX_JSON_BODY + " bytes");
        }
        if (body instanceof StallWatch.In watched) {
            watched.finishWithin(jsonTimeout);
        }
        try {
            bytes = body.readNBytes(maxJson + 1);
        } catch (ClientGoneException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedBodyException e) {
            throw new ApiException(400, "invalid_request_error", "invalid_body", e.getMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("Could not read the request body: " + e.getMessage());
        }
        if (bytes.length > maxJson) {
            throw new ApiException(413, "invalid_request_error", "body_too_large",
                    "The JSON body is larger than " + maxJson + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("The request needs a JSON body");
        }
        try {
            JsonNode tree = Wire.mapper().readTree(bytes);
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                throw ApiException.badRequest("The request needs a JSON object as its body, not null");
            }
            rejectNullElements(tree, "");
            return Wire.mapper().treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The body is not valid JSON for this endpoint: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("Could not read the request body: " + e.getMessage());
        }
    }

    /** The body's {@code Content-Length}, or -1 when it is chunked or not a number (the JDK refuses those). */
    private long declaredLength() {
        String declared = header("Content-Length");
        try {
            return declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * No endpoint takes {@code null} as an element of a list ({@code "messages": [null]}); refused here, naming where,
     * so that no handler meets a null where it expects an object or a value.
     */
    private static void rejectNullElements(JsonNode node, String where) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = where + "[" + i + "]";
                if (node.get(i).isNull()) {
                    throw ApiException.badParam(at, at + " is null; give a value or leave it out of the list");
                }
                rejectNullElements(node.get(i), at);
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                rejectNullElements(f.getValue(), where.isEmpty() ? f.getKey() : where + "." + f.getKey());
            }
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(RequestTarget.queryPart(k), RequestTarget.queryPart(v));
        }
        return out;
    }
}
