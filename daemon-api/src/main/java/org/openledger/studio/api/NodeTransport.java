package org.openledger.studio.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openledger.studio.api.tls.CertificatePin;

/**
 * How {@link NodeClient} talks to a node: paths below the base URL, the bearer token, JSON both ways through
 * {@link Wire}, streamed calls, and every failure turned into a {@link NodeClientException} of the right kind
 * (unreachable, token refused, the node's error body, an answer that is not the protocol). Knows no endpoint.
 */
final class NodeTransport {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;

    NodeTransport(OkHttpClient http, HttpUrl base, String token) {
        this.http = Objects.requireNonNull(http);
        this.base = Objects.requireNonNull(base);
        this.token = token;
    }

    HttpUrl base() {
        return base;
    }

    /** Query parameters in the order given, leaving out those whose value is null. */
    static Map<String, String> query(String... namesAndValues) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null) {
                q.put(namesAndValues[i], value);
            }
        }
        return q;
    }

    static JavaType type(Class<?> type) {
        return Wire.mapper().getTypeFactory().constructType(type);
    }

    <T> T get(String path, Map<String, String> query, JavaType type) {
        return json(request(path, query).build(), path, type);
    }

    <T> T post(String path, Object body, Class<T> type) {
        return json(request(path, Map.of()).post(jsonBody(body)).build(), path, type(type));
    }

    <T> T put(String path, Map<String, String> query, RequestBody body, Class<T> type) {
        return json(request(path, query).put(body).build(), path, type(type));
    }

    <T> T delete(String path, Class<T> type) {
        return json(request(path, Map.of()).delete().build(), path, type(type));
    }

    /** The body of a successful GET as text. */
    String text(String path) {
        try (Response r = call(request(path, Map.of()).build())) {
            return bodyText(r);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Streams the body of a successful GET into {@code out}. */
    void download(String path, OutputStream out) {
        try (Response r = call(request(path, Map.of()).build())) {
            if (!r.isSuccessful()) {
                bodyText(r);
            }
            ResponseBody body = r.body();
            if (body != null) {
                body.byteStream().transferTo(out);
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A GET of server-sent events, not yet executed. */
    Call streamingGet(String path, Map<String, String> query) {
        return streaming(request(path, query).build());
    }

    /** A POST of a JSON body answered with server-sent events, not yet executed. */
    Call streamingPost(String path, Object body) {
        return streaming(request(path, Map.of()).post(jsonBody(body)).build());
    }

    /** The response of a streaming call whose status is a success; otherwise the node's error as an exception. */
    Response open(Call call) {
        try {
            Response r = call.execute();
            if (!r.isSuccessful()) {
                try (r) {
                    bodyText(r);
                }
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A call that may stay open for as long as the node streams, reading at least every five minutes. */
    private Call streaming(Request r) {
        return http.newBuilder().readTimeout(Duration.ofMinutes(5)).callTimeout(Duration.ZERO)
                .build().newCall(r.newBuilder().header("Accept", "text/event-stream").build());
    }

    private <T> T json(Request request, String path, JavaType type) {
        try (Response r = call(request)) {
            String text = bodyText(r);
            try {
                return Wire.mapper().readValue(text, type);
            } catch (JsonProcessingException e) {
                throw new NodeClientException(NodeClientException.Kind.BAD_RESPONSE, r.code(), null,
                        "The node at " + base + " answered " + path + " with something that is not the studio protocol",
                        e);
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static RequestBody jsonBody(Object body) {
        byte[] json;
        try {
            json = Wire.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request is not serialisable: " + e.getOriginalMessage(), e);
        }
        return RequestBody.create(json, JSON);
    }

    private Request.Builder request(String path, Map<String, String> query) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                url.addPathSegment(segment);
            }
        }
        query.forEach(url::addQueryParameter);
        Request.Builder b = new Request.Builder().url(url.build()).header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response call(Request request) throws IOException {
        return http.newCall(request).execute();
    }

    /** Reads the body of a successful response, or turns an error response into an exception. */
    private String bodyText(Response r) throws IOException {
        ResponseBody body = r.body();
        String text = body == null ? "" : body.string();
        if (r.isSuccessful()) {
            return text;
        }
        ApiError error = null;
        try {
            error = Wire.mapper().readValue(text, ApiError.class);
        } catch (JsonProcessingException ignored) {
            // not our protocol's error body; reported below by status alone
        }
        String detail = error != null && error.error() != null ? error.error().message() : "HTTP " + r.code();
        if (r.code() == 401 || r.code() == 403) {
            throw new NodeClientException(NodeClientException.Kind.UNAUTHORIZED, r.code(), error,
                    "The node at " + base + " refused the token: " + detail, null);
        }
        throw new NodeClientException(NodeClientException.Kind.HTTP_ERROR, r.code(), error,
                "The node at " + base + " answered " + r.code() + ": " + detail, null);
    }

    private NodeClientException unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificatePin.Mismatch m) {
                return new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                        "Refusing the node at " + base + ": " + m.getMessage(), e);
            }
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                "Cannot reach the node at " + base + ": " + why, e);
    }
}
